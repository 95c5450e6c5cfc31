-- Every value of every draft, active and deprecated product tag: one row per (product, tag) with a value.
{{ tag_values_long('product') }}
