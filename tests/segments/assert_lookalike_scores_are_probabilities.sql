-- A fitted lookalike's member scores are probabilities (finite, in [0, 1]) and a refused one has
-- no members.
with lookalike_fits as (

    select * from {{ ref('segment_lookalike_fits') }}

),

scores as (

    select
        segment_code,
        {{ unnest_list('scores') }} as score
    from lookalike_fits

),

out_of_range as (

    -- NaN compares above every number on both engines: not in [0, 1]; so are the infinities.
    select
        segment_code,
        count(*) as scores_out_of_range
    from scores
    where not (score >= 0 and score <= 1)
    group by segment_code

),

problems as (

    select
        lookalike_fits.segment_code,
        lookalike_fits.status,
        coalesce(out_of_range.scores_out_of_range, 0) as scores_out_of_range,
        {{ list_size('lookalike_fits.members') }} as members
    from lookalike_fits
    left join out_of_range on lookalike_fits.segment_code = out_of_range.segment_code

)

select * from problems
where scores_out_of_range > 0 or (status != 'fitted' and members > 0)
