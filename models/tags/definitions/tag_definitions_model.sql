{{ tags_defined_here() }}
