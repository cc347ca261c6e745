package io.mediastore.samples.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Owner-only permissions for the data directory and the files that hold keys and secrets. */
public final class OwnerOnly {
    private OwnerOnly() {
    }

    /**
     * Makes a directory that holds secrets owner-only unless it already is; refuses (with the remedy) when its
     * permissions cannot be changed, rather than run with a database and keys that other users can read.
     */
    public static void restrictDataDirectory(Path dir) throws IOException {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(dir);
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        if (perms.stream().noneMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
            return;
        }
        try {
            restrict(dir);
        } catch (IOException e) {
            throw new IOException("the data directory " + dir + " is open to other users and could not be made owner-only ("
                    + e.getClass().getSimpleName() + "); run the server as its owner, or chmod 700 it", e);
        }
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
