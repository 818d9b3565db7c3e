/**
 * Every metric the `system` source reads: the options it takes besides `scope`, the dimensions its
 * samples carry, and the CloudWatch unit its values are in. validate-config, the schema and the
 * README all take the names from here.
 */
export type SystemOptionName = "perCpu" | "mounts" | "devices" | "interfaces";

export interface SystemMetricInfo {
  readonly options: readonly SystemOptionName[];
  readonly dimensions: readonly string[];
  /** A CloudWatch StandardUnit name. */
  readonly unit: "Percent" | "Bytes" | "Count" | "Seconds" | "None";
  /** A counter of the kernel's: the first read only sets the baseline. */
  readonly counter: boolean;
  readonly description: string;
}

const DISK = { options: ["mounts"], dimensions: ["MountPath", "Filesystem"], counter: false } as const;
const DISKIO = { options: ["devices"], dimensions: ["Device"], counter: true } as const;
const NETWORK = { options: ["interfaces"], dimensions: ["Interface"], counter: true } as const;
const WHOLE = { options: [], dimensions: [], counter: false } as const;

export const SYSTEM_METRICS = {
  "cpu.utilization": {
    options: ["perCpu"],
    dimensions: ["Cpu"],
    unit: "Percent",
    counter: true,
    description: "percent of CPU time busy since the previous read (of the quota, in container scope)",
  },
  "cpu.iowait": {
    ...WHOLE,
    unit: "Percent",
    counter: true,
    description: "percent of CPU time waiting for I/O",
  },
  "load.1": { ...WHOLE, unit: "None", description: "load average over 1 minute" },
  "load.5": { ...WHOLE, unit: "None", description: "load average over 5 minutes" },
  "load.15": { ...WHOLE, unit: "None", description: "load average over 15 minutes" },
  "memory.utilization": { ...WHOLE, unit: "Percent", description: "percent of memory in use" },
  "memory.used": { ...WHOLE, unit: "Bytes", description: "memory in use" },
  "memory.available": { ...WHOLE, unit: "Bytes", description: "memory available without swapping" },
  "swap.utilization": { ...WHOLE, unit: "Percent", description: "percent of swap in use" },
  "swap.used": { ...WHOLE, unit: "Bytes", description: "swap in use" },
  "disk.utilization": { ...DISK, unit: "Percent", description: "percent of space in use, as df's Use%" },
  "disk.used": { ...DISK, unit: "Bytes", description: "space in use" },
  "disk.available": { ...DISK, unit: "Bytes", description: "space available to unprivileged users" },
  "disk.inodes.utilization": { ...DISK, unit: "Percent", description: "percent of inodes in use" },
  "diskio.read.bytes": { ...DISKIO, unit: "Bytes", description: "bytes read since the previous read" },
  "diskio.write.bytes": { ...DISKIO, unit: "Bytes", description: "bytes written since the previous read" },
  "diskio.utilization": { ...DISKIO, unit: "Percent", description: "percent of time the device was busy" },
  "network.rx.bytes": { ...NETWORK, unit: "Bytes", description: "bytes received since the previous read" },
  "network.tx.bytes": { ...NETWORK, unit: "Bytes", description: "bytes sent since the previous read" },
  "network.rx.errors": { ...NETWORK, unit: "Count", description: "receive errors since the previous read" },
  "network.tx.errors": { ...NETWORK, unit: "Count", description: "send errors since the previous read" },
  "processes.count": { ...WHOLE, unit: "Count", description: "processes (not threads)" },
  uptime: { ...WHOLE, unit: "Seconds", description: "seconds since the kernel booted" },
} as const satisfies Record<string, SystemMetricInfo>;

export type SystemMetricName = keyof typeof SYSTEM_METRICS;
export const SYSTEM_METRIC_NAMES = Object.keys(SYSTEM_METRICS) as SystemMetricName[];

export function isSystemMetricName(name: string): name is SystemMetricName {
  return Object.hasOwn(SYSTEM_METRICS, name);
}
