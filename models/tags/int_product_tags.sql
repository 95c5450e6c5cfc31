-- Every draft, active and deprecated product tag, one column each, one row per SKU.
{{ tag_values_wide('product') }}
