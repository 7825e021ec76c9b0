#!/usr/bin/env python3
"""The M/M/c queue of Throughline's benchmark, in SimPy, for comparison.

Customers arrive by a Poisson process at rate lambda = rho * c per day, wait
for one of c servers (first come, first served) and hold it for an
exponential time of mean 1 day: the same model that `throughline simulate`
runs when a scenario has Poisson arrivals, exponential trial lengths and c
general rooms, and that bench/sim/driver runs in Go.

Events are counted the way the Go engine counts them: one per arrival and one
per service completion. The script prints one line of JSON.

Works with the SimPy that Debian packages (python3-simpy, the classic SimPy
2 API, module SimPy) and with SimPy 3 or later (module simpy), whichever is
installed.
"""

import argparse
import json
import random
import time


def run_simpy2(c, lam, customers, seed):
    from SimPy.Simulation import Process, Resource, Simulation, hold, release, request

    rng = random.Random(seed)
    sim = Simulation()
    sim.initialize()
    rooms = Resource(capacity=c, sim=sim)
    stats = {"done": 0, "wait": 0.0}

    class Customer(Process):
        def visit(self):
            arrived = self.sim.now()
            yield request, self, rooms
            stats["wait"] += self.sim.now() - arrived
            yield hold, self, rng.expovariate(1.0)
            yield release, self, rooms
            stats["done"] += 1

    class Source(Process):
        def generate(self):
            for _ in range(customers):
                customer = Customer(sim=self.sim)
                self.sim.activate(customer, customer.visit())
                yield hold, self, rng.expovariate(lam)

    source = Source(sim=sim)
    sim.activate(source, source.generate())
    sim.simulate(until=float("inf"))
    return stats


def run_simpy3(c, lam, customers, seed):
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    rooms = simpy.Resource(env, capacity=c)
    stats = {"done": 0, "wait": 0.0}

    def customer():
        arrived = env.now
        with rooms.request() as req:
            yield req
            stats["wait"] += env.now - arrived
            yield env.timeout(rng.expovariate(1.0))
        stats["done"] += 1

    def source():
        for _ in range(customers):
            env.process(customer())
            yield env.timeout(rng.expovariate(lam))

    env.process(source())
    env.run()
    return stats


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--c", type=int, default=20, help="servers (courtrooms)")
    p.add_argument("--rho", type=float, default=0.85, help="load per server")
    p.add_argument("--customers", type=int, default=200000, help="customers (cases) to simulate")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    lam = a.rho * a.c
    try:
        import simpy  # noqa: F401

        runner, flavour = run_simpy3, "simpy " + simpy.__version__
    except ImportError:
        runner, flavour = run_simpy2, "SimPy 2 (classic API)"
    start = time.perf_counter()
    stats = runner(a.c, lam, a.customers, a.seed)
    elapsed = time.perf_counter() - start
    events = a.customers + stats["done"]
    print(json.dumps({
        "engine": flavour,
        "c": a.c,
        "rho": a.rho,
        "customers": a.customers,
        "events": events,
        "seconds": round(elapsed, 3),
        "events_per_second": round(events / elapsed),
        "mean_wait": stats["wait"] / max(stats["done"], 1),
    }))


if __name__ == "__main__":
    main()
