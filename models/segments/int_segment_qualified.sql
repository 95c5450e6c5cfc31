{#-
    People whose profile satisfies the rule of each active segment with a rule (dynamic,
    suppression and static segments), as of the as_of day: before suppression, exclusive groups
    and freezing (segment_qualified_sql).
-#}
{{ segment_qualified_sql(segment_definitions() | selectattr('status', 'equalto', 'active') | selectattr('condition') | list) }}
