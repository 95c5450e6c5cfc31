-- Every list file an active static segment names exists (the compile warning names the segment).
select list_name
from {{ ref('segment_list_entries') }}
where invalid_reason = 'missing_list_file'
