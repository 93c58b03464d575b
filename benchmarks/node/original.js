#!/usr/bin/env node
// The benchmark scenarios of Seaport for Java, run against the original seaport 2.0.9 (npm) for the
// "seaport 2.0.9" column of BENCHMARKS.md. Started by RunAll (benchmarks/run), which installs seaport into
// benchmarks/target/node first; by hand:
//
//   npm install --prefix benchmarks/target/node seaport@2.0.9
//   node benchmarks/node/original.js [--quick] [scenario...]     scenarios: query throughput visible kill
//
// One hub process and one process per client, all on 127.0.0.1 (port 0: the OS picks a free one). Each
// figure is printed as one line: FIGURE <tab> section <tab> name <tab> unit <tab> comma-separated samples,
// with the section and name of the Java figure it compares with. Latencies across processes are differences
// of process.hrtime.bigint() stamps taken where each event happened: CLOCK_MONOTONIC, one clock for every
// process of this machine. Every wait has a deadline and every loop a fixed count.
//
// TCP_NODELAY is set on every socket seaport opens (stock seaport leaves Nagle on, which puts 4-40 ms on
// each change that is not followed by another): the column shows the original at its best.
'use strict';

const path = require('path');
const net = require('net');
const { fork } = require('child_process');

const MODULES = process.env.SEAPORT_NODE_MODULES || path.join(__dirname, '..', 'target', 'node', 'node_modules');
const connect = net.connect;
net.connect = net.createConnection = function () {
    const socket = connect.apply(this, arguments);
    socket.setNoDelay(true);
    return socket;
};
const seaport = require(path.join(MODULES, 'seaport'));
const now = () => process.hrtime.bigint();
const micros = (from, to) => Number(to - from) / 1000;

// ---- a hub or client process, driven by messages from the driver

function child() {
    let s;
    process.on('message', (m) => {
        const reply = (body) => process.send(Object.assign({ re: m.seq }, body));
        switch (m.cmd) {
            case 'hub':
                s = seaport.createServer();
                s.on('connection', (c) => c.setNoDelay(true));
                s.listen(0, '127.0.0.1', () => reply({ port: s.address().port }));
                break;
            case 'connect':
                s = seaport.connect(m.port, '127.0.0.1');
                s.once('synced', () => reply({}));
                break;
            case 'count': { // stamps when `n` services whose role starts with the prefix have been announced
                let seen = 0;
                const onRegister = (meta) => {
                    if (meta.role.startsWith(m.prefix) && ++seen === m.n) {
                        const t = now();
                        s.removeListener('register', onRegister);
                        reply({ t: t.toString() });
                    }
                };
                s.on('register', onRegister);
                reply({ armed: true });
                break;
            }
            case 'watch': // reports every register and free of one role
                s.on('register', (meta) => {
                    if (meta.role === m.role) process.send({ ev: 'register', t: now().toString() });
                });
                s.on('free', (meta) => {
                    if (meta && meta.role === m.role) process.send({ ev: 'free', t: now().toString() });
                });
                reply({});
                break;
            case 'untilNone': { // stamps when every service of the role seen so far is freed
                const ids = new Set(Object.keys(s.known).filter((id) => s.known[id].role === m.role));
                const onFree = (meta, id) => {
                    if (ids.delete(id) && ids.size === 0) {
                        const t = now();
                        s.removeListener('free', onFree);
                        reply({ t: t.toString() });
                    }
                };
                s.on('free', onFree);
                process.send({ ev: 'armed', held: ids.size });
                break;
            }
            case 'register': { // n services over `roles` roles, as fast as the calls go
                const t = now();
                for (let i = 0; i < m.n; i++) {
                    const role = m.roles > 1 ? m.prefix + (i % m.roles) : m.prefix;
                    s.register(role + '@1.0.0', { host: '127.0.0.1', port: 10000 + (i % 50000) });
                }
                reply({ t: t.toString() });
                break;
            }
            case 'freeAll':
                for (const id of Object.keys(s.services)) {
                    if (s.services[id].role.startsWith(m.prefix)) s.free(id);
                }
                reply({});
                break;
            case 'probe': {
                const t = now();
                const meta = s.registerMeta(m.role, { host: '127.0.0.1', port: 9999 });
                reply({ t: t.toString(), id: meta.id });
                break;
            }
            case 'unprobe':
                s.free(m.id);
                reply({});
                break;
            default:
                reply({ error: 'unknown command ' + m.cmd });
        }
    });
}

// ---- the driver: starts the processes, runs the scenarios, prints the figures

class Proc {
    constructor(name) {
        this.name = name;
        this.p = fork(__filename, ['child'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
        this.seq = 0;
        this.pending = new Map();
        this.events = [];
        this.eventWaiters = [];
        this.p.on('message', (m) => {
            if (m.re !== undefined && this.pending.has(m.re)) {
                const waiters = this.pending.get(m.re);
                const w = waiters.shift();
                if (waiters.length === 0) this.pending.delete(m.re);
                w(m);
            } else if (m.ev) {
                const w = this.eventWaiters.shift();
                if (w) w(m); else this.events.push(m);
            }
        });
    }

    // sends a command; resolves with its first reply (and `second` with its second, for count/untilNone)
    call(cmd, args, replies = 1) {
        const seq = this.seq++;
        const promises = [];
        const waiters = [];
        for (let i = 0; i < replies; i++) {
            promises.push(deadline(new Promise((resolve) => waiters.push(resolve)), `${this.name} ${cmd}`));
        }
        this.pending.set(seq, waiters);
        this.p.send(Object.assign({ cmd, seq }, args));
        return replies === 1 ? promises[0] : promises;
    }

    event() {
        const e = this.events.shift();
        if (e) return Promise.resolve(e);
        return deadline(new Promise((resolve) => this.eventWaiters.push(resolve)), `${this.name} event`);
    }

    kill(signal = 'SIGTERM') {
        try { this.p.kill(signal); } catch (e) { /* already gone */ }
    }
}

function deadline(promise, what, ms = 120000) {
    let timer;
    return Promise.race([promise, new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
    })]).finally(() => clearTimeout(timer));
}

const procs = [];

async function cluster(clients) {
    const hub = new Proc('hub');
    procs.push(hub);
    const { port } = await hub.call('hub');
    const members = [];
    for (let i = 0; i < clients; i++) {
        const c = new Proc('client' + i);
        procs.push(c);
        await c.call('connect', { port });
        members.push(c);
    }
    return { hub, members, port };
}

function stop(all) {
    for (const p of all) p.kill();
}

function figure(section, name, unit, samples) {
    console.log(['FIGURE', section, name, unit, samples.map((x) => x.toFixed(3)).join(',')].join('\t'));
}


async function driver() {
    const args = process.argv.slice(2);
    const quick = args.includes('--quick');
    const wanted = args.filter((a) => !a.startsWith('--'));
    const run = (name) => wanted.length === 0 || wanted.includes(name);
    const scenarios = { query, throughput, visible, kill };
    const unknown = wanted.filter((w) => !(w in scenarios));
    if (unknown.length > 0 || args.some((a) => a.startsWith('--') && a !== '--quick')) {
        console.error(`unknown argument(s) '${unknown.concat(args.filter((a) => a.startsWith('--') && a !== '--quick'))
            .join("', '")}'; expected [--quick] and scenarios among: ${Object.keys(scenarios).join(' ')}`);
        process.exitCode = 2;
        return;
    }
    let failed = false;
    try {
        for (const [name, scenario] of Object.entries(scenarios)) {
            if (run(name)) {
                const start = Date.now();
                try {
                    await scenario(quick);
                    console.error(`original: ${name} took ${Date.now() - start} ms`);
                } catch (e) { // the other scenarios still run; the exit code tells the harness
                    failed = true;
                    console.error(`original: ${name} failed after ${Date.now() - start} ms:`, e && e.stack || e);
                    stop(procs.splice(0));
                }
            }
        }
    } finally {
        stop(procs);
    }
    if (failed) process.exitCode = 1;
}

// query by bare name and by range, in a seaport holding 10,000 services under one role (its own: no socket).
// The range is 1.x where the Java benchmark asks ^1.0.0: seaport 2.0.9 bundles semver 1.1.4, which has no ^.
async function query(quick) {
    for (const size of quick ? [10000] : [1000, 10000]) {
        const s = seaport();
        for (let i = 0; i < size; i++) {
            s.register('bench@1.' + (i % 10) + '.0', { host: '127.0.0.1', port: 10000 + (i % 50000) });
        }
        for (const [method, asked] of [['queryName', 'bench'], ['queryRange', 'bench@1.x']]) {
            if (s.query(asked).length !== size) throw new Error('query ' + asked + ' did not list all ' + size);
            const samples = [];
            for (let iteration = 0; iteration < (quick ? 5 : 8); iteration++) {
                let calls = 0;
                const t = now();
                let elapsed;
                do {
                    s.query(asked);
                    calls++;
                    elapsed = now() - t;
                } while (elapsed < 500000000n);
                samples.push(Number(elapsed) / calls); // ns per call
            }
            figure('query', `every service under one role: ${method}, size=${size}`, 'ns/op', samples.slice(2));
        }
        s.close();
    }
}

// one writer registers N services; until the hub and an observer client both hold all of them
async function throughput(quick) {
    const count = quick ? 5000 : 20000;
    const oneRoleCount = quick ? 2000 : 5000;
    const runs = quick ? 2 : 3;
    const { hub, members } = await cluster(2);
    const [writer, observer] = members;
    const holders = [hub, observer];
    const fill = async (prefix, n, roles) => {
        const counts = holders.map((h) => h.call('count', { prefix, n }, 2));
        await Promise.all(counts.map((c) => c[0]));
        const { t } = await writer.call('register', { prefix, n, roles });
        let last = 0n;
        for (const c of counts) {
            const done = BigInt((await c[1]).t);
            if (done > last) last = done;
        }
        await writer.call('freeAll', { prefix });
        return n / (micros(BigInt(t), last) / 1e6);
    };
    await fill('warm-', quick ? 2000 : 5000, 100); // JIT warm-up, as the Java harness does
    for (const [n, roles] of [[count, 100], [oneRoleCount, 1]]) {
        const rates = [];
        for (let i = 0; i < runs; i++) {
            rates.push(await fill(roles > 1 ? 'bulk-' + i + '-' : 'bulk' + i, n, roles));
        }
        figure('registration throughput', `1 writer, 3 members, ${n} services over ${roles} role${roles > 1 ? 's' : ''}`
            + ': all members hold every entry', 'reg/s', rates);
    }
    stop([hub, ...members]);
}

// register -> the watchers' register events: one watcher, and the last of them
async function visible(quick) {
    const warmup = quick ? 5 : 20;
    const probes = quick ? 30 : 100;
    for (const members of [2, 5]) {
        for (const others of [0, 10000]) {
            const { hub, members: clients } = await cluster(members);
            const registrar = clients[members - 1];
            const watchers = clients.slice(0, members - 1);
            if (others > 0) {
                const counts = watchers.map((w) => w.call('count', { prefix: 'other-', n: others }, 2));
                await Promise.all(counts.map((c) => c[0]));
                await registrar.call('register', { prefix: 'other-', n: others, roles: 100 });
                await Promise.all(counts.map((c) => c[1]));
            }
            for (const w of watchers) await w.call('watch', { role: 'probe' });
            const first = [];
            const everyone = [];
            for (let i = 0; i < warmup + probes; i++) {
                const { t, id } = await registrar.call('probe', { role: 'probe@1.0.0' });
                const registered = BigInt(t);
                let last = 0n;
                let firstSeen = 0n;
                for (let w = 0; w < watchers.length; w++) {
                    const e = await watchers[w].event();
                    if (e.ev !== 'register') throw new Error('expected a register event, got ' + e.ev);
                    const seen = BigInt(e.t);
                    if (w === 0) firstSeen = seen;
                    if (seen > last) last = seen;
                }
                await registrar.call('unprobe', { id });
                for (const w of watchers) {
                    const e = await w.event();
                    if (e.ev !== 'free') throw new Error('expected a free event, got ' + e.ev);
                }
                if (i >= warmup) {
                    first.push(micros(registered, firstSeen) / 1000);
                    everyone.push(micros(registered, last) / 1000);
                }
            }
            const label = `${members} members, ${others} other registrations` + (others > 0 ? ' (100 roles)' : '');
            figure('register -> visible', label + ': one watcher', 'ms', first);
            if (members > 2) figure('register -> visible', `${label}: all ${members - 1} watchers`, 'ms', everyone);
            stop([hub, ...clients]);
        }
    }
}

// kill -9 of a client holding 100 services -> both observers (hub and a client) saw them freed
async function kill(quick) {
    const runs = quick ? 3 : 5;
    const { hub, members: observers, port } = await cluster(1);
    const holders = [hub, ...observers];
    const gone = [];
    for (let run = 0; run < runs; run++) {
        const victim = new Proc('victim' + run);
        procs.push(victim);
        await victim.call('connect', { port });
        const counts = holders.map((h) => h.call('count', { prefix: 'victim', n: 100 }, 2));
        await Promise.all(counts.map((c) => c[0]));
        await victim.call('register', { prefix: 'victim', n: 100, roles: 1 });
        await Promise.all(counts.map((c) => c[1]));
        const dropped = holders.map((h) => h.call('untilNone', { role: 'victim' }));
        for (const h of holders) {
            const armed = await h.event();
            if (armed.held !== 100) throw new Error(`${h.name} held ${armed.held} of the victim's 100 services`);
        }
        const killed = now();
        victim.kill('SIGKILL');
        let last = 0n;
        for (const d of dropped) {
            const t = BigInt((await d).t);
            if (t > last) last = t;
        }
        gone.push(micros(killed, last) / 1000);
    }
    figure('failure and partition', 'kill -9 -> its 100 services gone on both other members', 'ms', gone);
    stop([hub, ...observers]);
}

// last, once every class and function above is defined
if (process.argv[2] === 'child') {
    child();
} else {
    driver().catch((e) => {
        console.error(e && e.stack || e);
        process.exit(1);
    });
}
