-- Every draft, active and deprecated customer tag, one column each, one row per person.
{{ tag_values_wide('customer') }}
