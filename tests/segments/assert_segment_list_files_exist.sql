-- Every list file an active static segment names exists. A missing one warns (the compile
-- warning names the segment; segment_definitions.input_status says why it has no members): one
-- segment's missing input must not stop the others.
{{ config(severity='warn') }}

select list_name
from {{ ref('segment_list_entries') }}
where invalid_reason = 'missing_list_file'
