package io.mediastore.samples.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Owner-only permissions for the data directory and the files that hold keys and secrets. */
public final class OwnerOnly {
    private OwnerOnly() {
    }

    /** {@code rwx------} for a directory, {@code rw-------} for a file; a no-op where the file system is not POSIX. */
    public static void restrict(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file systems rely on the directory's own ACL
        }
    }
}
