/**
 * Which filesystems the disk metrics leave out unless a `mounts` glob names them: those that hold
 * no disk space of their own (kernel interfaces, memory, images, layers), and network filesystems,
 * which are not this machine's disks and whose statfs can hang when the server does (the
 * mon-put-instance-data script measured local filesystems only: `df -l`).
 */
export const PSEUDO_FILESYSTEMS: ReadonlySet<string> = new Set([
  "autofs",
  "binfmt_misc",
  "bpf",
  "cgroup",
  "cgroup2",
  "configfs",
  "debugfs",
  "devpts",
  "devtmpfs",
  "efivarfs",
  "fusectl",
  "hugetlbfs",
  "mqueue",
  "nsfs",
  "overlay",
  "aufs",
  "proc",
  "pstore",
  "ramfs",
  "rpc_pipefs",
  "securityfs",
  "selinuxfs",
  "squashfs",
  "iso9660",
  "sysfs",
  "tmpfs",
  "tracefs",
]);

export const NETWORK_FILESYSTEMS: ReadonlySet<string> = new Set([
  "nfs",
  "nfs4",
  "cifs",
  "smb3",
  "smbfs",
  "ceph",
  "glusterfs",
  "9p",
  "afs",
  "lustre",
  "gpfs",
  "beegfs",
]);

/**
 * Filesystems whose statfs can block for as long as something outside the kernel is away: a network
 * server, a FUSE daemon (`fuse.sshfs`, `fuse.s3fs`, ntfs-3g's `fuseblk`), or the mount autofs would
 * trigger. A local filesystem answers statfs from counters in memory.
 */
export function statfsMayHang(fsType: string): boolean {
  return (
    NETWORK_FILESYSTEMS.has(fsType) ||
    fsType === "autofs" ||
    fsType === "fuse" ||
    fsType === "fuseblk" ||
    fsType.startsWith("fuse.")
  );
}

/** Filesystem types measured when no `mounts` list is given. */
export function isLocalDiskFilesystem(fsType: string): boolean {
  return !PSEUDO_FILESYSTEMS.has(fsType) && !statfsMayHang(fsType);
}
