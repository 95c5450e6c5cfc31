-- One row per store, one typed column per active or deprecated store tag.
{{ tag_profile('store') }}
