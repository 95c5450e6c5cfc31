-- A fitted lookalike's member scores are probabilities (finite, in [0, 1]) and a refused one has
-- no members.
with lookalike_fits as (

    select * from {{ ref('segment_lookalike_fits') }}

),

problems as (

    select
        segment_code,
        status,
        len(list_filter(scores, lambda score: not isfinite(score) or score < 0 or score > 1)) as scores_out_of_range,
        len(members) as members
    from lookalike_fits

)

select * from problems
where scores_out_of_range > 0 or (status != 'fitted' and members > 0)
