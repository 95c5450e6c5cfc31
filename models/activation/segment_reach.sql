{#-
    Reach of every active segment at every destination as of the build: members, members held out
    (experiment holdouts, never exported), members reachable (not held out, holding an identifier
    the destination may receive after consent and the hard filters) and identifiers written.
    A segment whose rule reads a customer tag not allowed for advertising (sensitivity /
    allowed_uses of tag_definitions; read directly, through another segment or in a SQL condition)
    is refused for advertising destinations: nothing is reachable there and refusal_reason says why.
    A lookalike segment is refused where its seed is.
-#}
{{ segment_reach_sql(ref('segment_definitions'), ref('segment_members')) }}
