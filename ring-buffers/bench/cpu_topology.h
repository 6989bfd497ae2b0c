/* SPDX-License-Identifier: GPL-2.0 */
/* Where the ring benchmark's threads run (cpu_topology.c). */
#ifndef RING_BENCH_CPU_TOPOLOGY_H
#define RING_BENCH_CPU_TOPOLOGY_H

/*
 * One "# producer CPU ..., consumer CPU ...: how they share" line:
 * the same core, separate cores of one package, or separate packages.
 */
void print_placement(int cpu_prod, int cpu_cons);

#endif
