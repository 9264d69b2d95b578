# The M/M/c queue of examples/mmc.rs in SimPy 4.1 (5 servers, arrival rate 4,
# service rate 1, 200,000 customers): the comparison for docs/PERFORMANCE.md.
#   pip install simpy==4.1.1 && python3 benches/simpy_mmc.py
import random, time, simpy
def run(c=5, lam=4.0, mu=1.0, n=200_000, seed=1):
    random.seed(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    waits = []
    def customer(env):
        t = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - t)
            yield env.timeout(random.expovariate(mu))
    def source(env):
        for _ in range(n):
            env.process(customer(env))
            yield env.timeout(random.expovariate(lam))
    env.process(source(env))
    t0 = time.perf_counter(); env.run(); dt = time.perf_counter() - t0
    return sum(waits)/len(waits), n/dt
best = max(run()[1] for _ in range(3))
print(f"simpy_customers_per_s={best:.0f}")
