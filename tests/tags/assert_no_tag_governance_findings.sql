-- Governance on every build: each finding of tag_governance (naming, likely duplicates, deprecated
-- tags still read, tags without values, undeclared enum values) is a warning of `dbt build`.
{{ config(severity='warn') }}

select * from {{ ref('tag_governance') }}
