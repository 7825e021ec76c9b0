// Package sim simulates the Crown Court's list of rape and serious sexual
// offence (RASSO) cases, so a planner can ask what a change — more sitting
// days, specialist rape courts, fewer ineffective trials, more s.28 — would do
// to waits, withdrawals and the backlog, with honest error bars.
//
// # Engine
//
// A discrete-event simulation: an event heap (EventQueue, a 4-ary heap of
// value structs, no interfaces and no allocation per event), a clock that
// jumps from event to event, and seeded math/rand/v2 PCG streams. There is no
// global state: every replication owns its model and random streams, seeded
// from (seed, replication index) alone, so a result depends on the seed and
// the number of replications and never on the number of workers. Run runs
// replications in parallel and combines them in index order.
//
// # Model
//
// Cases arrive by a Poisson process (per day, optionally per area), pass the
// stages sending → PTPH → ready for trial, and wait for a courtroom of their
// area. Specialist rooms take RASSO cases first and list fixtures; general
// rooms take them in proportion to their RASSO share and list some as
// floaters. Each listing cracks (the case ends, the room is not used), is
// ineffective (relisted after a delay, ahead of new cases) or is effective
// (the trial starts and the case leaves the backlog). While waiting, the
// complainant may withdraw, with a hazard that rises with time waited and
// falls after an s.28 pre-recorded cross-examination. Scenario documents each
// field and its default; a bare scenario is an M/M/c queue, and the tests
// check the model against Erlang C and Little's law.
//
// Assumptions the scenario cannot change, stated here so they are not
// mistaken for findings:
//
//   - Queues are first come, first served within an area, with relisted cases
//     first. Real listing also weighs custody time limits and vulnerability.
//   - Trial outcomes are independent of the case and of how long it waited;
//     the outcome of a listing is decided when a room takes it.
//   - The s.28 hearing uses no courtroom time, and after it the withdrawal
//     hazard is multiplied by s28.withdrawal_hazard_factor (default 0.5): an
//     assumption that pre-recorded evidence makes a case less dependent on the
//     complainant's continued engagement, not a measured effect.
//   - The withdrawal clock starts at sending, not at the report.
//   - Sitting days are the first k days of each 7-day week (see calendar);
//     trial lengths are in sitting days, all other durations calendar days.
//   - Only cases that need a trial listing are modelled: early guilty pleas
//     never enter the list.
//
// # Outputs
//
// Per replication (Replication) and across replications (Result): the wait
// from sending to trial start, charge → trial and report → trial (mean,
// median, 90th percentile), trials, cracked and ineffective listings,
// withdrawals, courtroom utilisation, the backlog every sample_every_days
// days, and events processed. Statistics cover the window after warmup_days.
// Means carry 95% confidence intervals across replications (Student t);
// Compare gives paired differences between two scenarios run with the same
// seed, which share their arrivals (common random numbers).
package sim
