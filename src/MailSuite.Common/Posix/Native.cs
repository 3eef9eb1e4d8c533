// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.Common;

/// <summary>
/// libc, bound when each binary is linked (DirectPInvoke): no POSIX call looks a library up at
/// run time. Mono.Unix used to stand here, and loading its libMono.Unix.so cost every process
/// that made one POSIX call some 150 failed opens along the library path and a dynamic link:
/// a sixth of qmail-local's CPU per delivery. This part: processes, descriptors, spawning.
/// </summary>
internal static partial class Native
{
    private const string Libc = "libc";

    internal const int F_GETFD = 1;
    internal const int F_DUPFD_CLOEXEC = 1030;
    internal const int O_RDWR = 2;
    internal const int O_CLOEXEC = 0x80000;
    internal const short POSIX_SPAWN_SETSIGDEF = 0x04;
    internal const short POSIX_SPAWN_SETSIGMASK = 0x08;

    // glibc x86_64 sizes are 80 (file actions), 336 (attr) and 128 (sigset); twice that is room to spare.
    internal const int FileActionsSize = 160;
    internal const int SpawnAttrSize = 672;
    internal const int SigSetSize = 256;

    [LibraryImport(Libc, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "pipe2", SetLastError = true)]
    internal static unsafe partial int Pipe2(int* fds, int flags);

    [LibraryImport(Libc, EntryPoint = "initgroups", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int InitGroups(string user, uint gid);

    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    [LibraryImport(Libc, EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Execve(string path, string?[] argv, string?[] envp);

    [LibraryImport(Libc, EntryPoint = "syncfs", SetLastError = true)]
    internal static partial int SyncFs(int fd);

    [LibraryImport(Libc, EntryPoint = "getuid")]
    internal static partial uint GetUid();

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    [LibraryImport(Libc, EntryPoint = "_exit")]
    internal static partial void Exit(int status);

    [LibraryImport(Libc, EntryPoint = "waitpid", SetLastError = true)]
    internal static unsafe partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int FileActionsInit(IntPtr actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int FileActionsDestroy(IntPtr actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int FileActionsAddDup2(IntPtr actions, int fd, int newFd);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addclose")]
    internal static partial int FileActionsAddClose(IntPtr actions, int fd);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    internal static partial int FileActionsAddCloseFrom(IntPtr actions, int fromFd);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FileActionsAddChdir(IntPtr actions, string path);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    internal static partial int SpawnAttrInit(IntPtr attr);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int SpawnAttrDestroy(IntPtr attr);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int SpawnAttrSetFlags(IntPtr attr, short flags);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int SpawnAttrSetSigDefault(IntPtr attr, IntPtr sigset);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int SpawnAttrSetSigMask(IntPtr attr, IntPtr sigset);

    [LibraryImport(Libc, EntryPoint = "sigfillset")]
    internal static partial int SigFillSet(IntPtr set);

    [LibraryImport(Libc, EntryPoint = "sigemptyset")]
    internal static partial int SigEmptySet(IntPtr set);

    [LibraryImport(Libc, EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int PosixSpawn(int* pid, string path, IntPtr actions, IntPtr attr, IntPtr argv, IntPtr envp);
}
