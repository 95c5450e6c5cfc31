-- One row per person, one typed column per active or deprecated customer tag: what segments and exports read.
{{ tag_profile('customer') }}
