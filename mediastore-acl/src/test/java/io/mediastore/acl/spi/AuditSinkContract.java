package io.mediastore.acl.spi;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.Decision;
import io.mediastore.acl.Fixtures;
import io.mediastore.acl.Grant;
import io.mediastore.acl.ObjectNode;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What every {@link AuditSink} must do: take decisions of every kind, from many threads, without failing. */
public abstract class AuditSinkContract {

    protected abstract AuditSink newSink();

    /** Decisions of every reason, taken by a real AccessControl. */
    protected static List<Decision> decisionsOfEveryKind() {
        List<Decision> out = new ArrayList<>();
        AccessControl acl = Fixtures.acl().auditSink(out::add).build();
        ObjectRef a = ObjectRef.of("Asset", "1");
        acl.putObject(ObjectNode.of(a).withOwner(Principal.user("owner")));
        acl.grant(Grant.allow().to(Principal.user("ann")).actions("view").on(a).build());
        acl.grant(Grant.deny().to(Principal.user("eve")).actions("view").onModel("Asset").build());
        acl.check(Principal.user("ann"), "view", a);
        acl.check(Principal.user("owner"), "delete", a);
        acl.check(Principal.user("eve"), "view", a);
        acl.check(Principal.user("nobody"), "view", a);
        return out;
    }

    @Test
    void acceptsDecisionsOfEveryReason() {
        AuditSink sink = newSink();
        List<Decision> ds = decisionsOfEveryKind();
        Set<Decision.Reason> reasons = EnumSet.noneOf(Decision.Reason.class);
        for (Decision d : ds) {
            sink.record(d);
            reasons.add(d.reason());
        }
        assertEquals(EnumSet.allOf(Decision.Reason.class), reasons);
    }

    @Test
    void isThreadSafe() throws Exception {
        AuditSink sink = newSink();
        List<Decision> ds = decisionsOfEveryKind();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        sink.record(ds.get(i % ds.size()));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
