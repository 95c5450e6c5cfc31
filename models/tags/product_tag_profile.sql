-- One row per SKU, one typed column per active or deprecated product tag.
{{ tag_profile('product') }}
