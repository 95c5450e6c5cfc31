{{ segments_defined_here() }}
