package io.mediastore.acl;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZoneId;

/** Shared schema and a settable clock for the tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Model collection() {
        return Model.builder("Collection").actions("view", "edit", "share", "admin")
                .implies("edit", "view").implies("admin", "edit", "share").parent("Collection")
                .ownerMay("admin").build();
    }

    public static Model asset() {
        return Model.builder("Asset").actions("view", "download", "stream", "edit", "delete", "share")
                .implies("edit", "view").implies("download", "view").implies("stream", "view")
                .parent("Collection").ownerMay("view", "download", "edit", "delete").build();
    }

    public static Role viewer() {
        return Role.builder("viewer").permit("Asset", "view", "stream").permit("Collection", "view").build();
    }

    public static Role editor() {
        return Role.builder("editor").inherits("viewer").permit("Asset", "edit", "download").permit("Collection", "edit").build();
    }

    public static AccessControl.Builder acl() {
        return AccessControl.builder().model(collection()).model(asset()).role(viewer()).role(editor());
    }

    public static ObjectRef a(String id) {
        return ObjectRef.of("Asset", id);
    }

    public static ObjectRef c(String id) {
        return ObjectRef.of("Collection", id);
    }

    public static Principal u(String id) {
        return Principal.user(id);
    }

    /** A clock the test moves by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
