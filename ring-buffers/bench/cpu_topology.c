// SPDX-License-Identifier: GPL-2.0
/*
 * Where the benchmark's two threads run (cpu_topology.h), as the kernel
 * describes its CPUs under /sys/devices/system/cpu.
 */
#include <stdio.h>
#include "cpu_topology.h"

/* One number from /sys/devices/system/cpu/cpuN/topology, -1 if absent. */
static int topo(int cpu, const char *what)
{
	char path[96];
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/%s", cpu, what);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * Whether CPU b is listed in CPU a's thread_siblings_list ("0-1,4"): the
 * kernel's own answer to "same physical core".  -1 if the file is absent.
 */
static int siblings(int a, int b)
{
	char path[96];
	FILE *f;
	int lo, hi, found = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/"
		 "topology/thread_siblings_list", a);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%d", &lo) == 1) {
		hi = lo;
		if (fscanf(f, "-%d", &hi) < 0)
			break;
		found |= b >= lo && b <= hi;
		if (fgetc(f) != ',')
			break;
	}
	fclose(f);
	return found;
}

/*
 * Whether the two CPUs are hardware threads of one core: the figures of
 * the two cases differ several-fold.  On a virtual machine this is the
 * topology the guest is shown, which the host need not honour.
 */
void print_placement(int cpu_prod, int cpu_cons)
{
	int pp = topo(cpu_prod, "physical_package_id");
	int pc = topo(cpu_prod, "core_id");
	int cp = topo(cpu_cons, "physical_package_id");
	int cc = topo(cpu_cons, "core_id");
	int sib = siblings(cpu_prod, cpu_cons);
	const char *how;

	if (cpu_prod == cpu_cons)
		how = "one CPU for both threads";
	else if (sib < 0 && (pc < 0 || cc < 0))
		how = "topology unknown";
	else if (sib > 0 || (sib < 0 && pp == cp && pc == cc))
		how = "same physical core (hardware threads of one core)";
	else if (pp == cp)
		how = "separate physical cores, one package";
	else
		how = "separate packages";
	printf("# producer CPU %d (package %d, core %d), consumer CPU %d "
	       "(package %d, core %d): %s\n", cpu_prod, pp, pc, cpu_cons, cp,
	       cc, how);
}
