-- Every value of every draft, active and deprecated store tag: one row per (store, tag) with a value.
{{ tag_values_long('store') }}
