package io.mediastore.benchmarks.acl;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * The check-cost curve over the number of object grants (assets = grants / 2, 10,000 users with 2 of
 * 100 roles, half the roles inheriting the other half, 1,000 collections with 3,000 tree grants): time
 * per uncached check and its distribution (p99 from the sample mode). Requests: a third allowed by an
 * object grant, a third allowed only through a collection grant (often via role inheritance), a third
 * random (mostly denied after walking asset, collection and model grants). Setup prints the retained
 * heap per grant.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class AclScalingBenchmark {
    private static final int REQUESTS = 4_096;

    @Param({"1000", "10000", "100000", "1000000"})
    public int grants;

    private AccessControl acl;
    private Object[][] mixed;
    private int i;

    @Setup(Level.Trial)
    public void setup() {
        AclData data = new AclData(10_000, grants, REQUESTS);
        long before = heapUsed();
        acl = data.accessControl();
        long after = heapUsed();
        int total = acl.grantCount();
        System.out.printf("%n[heap] grants=%d (+%d collection grants), retained %.1f MB, %.0f bytes per grant "
                        + "(store + snapshot, memberships and objects included)%n",
                grants, AclData.COLLECTION_GRANTS, (after - before) / 1048576.0, (after - before) / (double) total);
        Object[][] a = AclData.ours(data.allow);
        Object[][] v = AclData.ours(data.allowViaCollection);
        Object[][] r = AclData.ours(data.random);
        mixed = new Object[REQUESTS][];
        for (int k = 0; k < REQUESTS; k++) {
            mixed[k] = k % 3 == 0 ? a[k] : k % 3 == 1 ? v[k] : r[k];
        }
    }

    private static long heapUsed() {
        for (int k = 0; k < 3; k++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A third each: allowed by an object grant, allowed through a collection, random. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public boolean check() {
        Object[] r = mixed[i++ & (REQUESTS - 1)];
        return acl.isAllowed((Principal) r[0], (String) r[1], (ObjectRef) r[2]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public boolean checkLatency() {
        Object[] r = mixed[i++ & (REQUESTS - 1)];
        return acl.isAllowed((Principal) r[0], (String) r[1], (ObjectRef) r[2]);
    }
}
