-- Every draft, active and deprecated store tag, one column each, one row per store.
{{ tag_values_wide('store') }}
