-- Every value of every draft, active and deprecated customer tag: one row per (customer, tag) with a value.
{{ tag_values_long('customer') }}
