package io.mediastore.benchmarks.acl;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;
import org.casbin.jcasbin.main.CachedEnforcer;
import org.casbin.jcasbin.main.Enforcer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One single-threaded check per operation at "media ACL" scale (10,000 users x 2 roles, 100 roles with
 * inheritance, 100,000 object grants over 50,000 assets in 1,000 collections with 3,000 collection
 * grants), ours against jCasbin 1.81.0 in the same run:
 * <ul>
 *   <li>{@code checkAllow} / {@code peerEnforcerAllow}: 2,000 distinct requests allowed by an object
 *       grant (ours uncached: every check walks asset, collection and the model's grants);</li>
 *   <li>{@code checkRandom} / {@code peerEnforcerRandom}: 2,000 random requests, about 1% allowed;</li>
 *   <li>{@code checkViaCollection} / {@code peerResourceRolesViaCollection}: allowed only by a
 *       collection grant, often through role inheritance (casbin's resource-roles model, g2);</li>
 *   <li>{@code checkRepeated} / {@code peerCachedEnforcerRepeated}: the same 200 allowed requests
 *       over and over, jCasbin's CachedEnforcer answering from its cache, ours still uncached;</li>
 *   <li>{@code checkExplained}: ours with the full {@code Decision} (grant, inheritance and membership);</li>
 *   <li>{@code listPermitted}: ours, every asset a user may view (the input of a SQL filter), in ms.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class AclCheckBenchmark {
    private static final int REQUESTS = 2_000;
    private static final int REPEATED = 200;

    private AccessControl acl;
    private Enforcer enforcer;
    private Enforcer resourceRoles;
    private CachedEnforcer cached;
    private Object[][] allow;
    private Object[][] random;
    private Object[][] viaCollection;
    private String[][] cAllow;
    private String[][] cRandom;
    private String[][] cViaCollection;
    private Path dir;
    private int i;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        AclData data = new AclData(10_000, 100_000, REQUESTS);
        acl = data.accessControl();
        dir = Files.createTempDirectory("acl-bench");
        Path[] flat = data.casbinFiles(dir, false);
        Path[] rr = data.casbinFiles(dir, true);
        enforcer = new Enforcer(flat[0].toString(), flat[1].toString());
        cached = new CachedEnforcer(flat[0].toString(), flat[1].toString());
        resourceRoles = new Enforcer(rr[0].toString(), rr[1].toString());
        allow = AclData.ours(data.allow);
        random = AclData.ours(data.random);
        viaCollection = AclData.ours(data.allowViaCollection);
        cAllow = data.allow.toArray(new String[0][]);
        cRandom = data.random.toArray(new String[0][]);
        cViaCollection = data.allowViaCollection.toArray(new String[0][]);
        // the engines must agree before anything is timed: our policy holds the object grants of the
        // flat model and the collection grants of the resource-roles model, so ours = flat || rr
        agree(allow, cAllow, true);
        agree(random, cRandom, false);
        agree(viaCollection, cViaCollection, true);
        for (int k = 0; k < REPEATED; k++) {
            cached.enforce((Object[]) cAllow[k]);
        }
    }

    private void agree(Object[][] ours, String[][] theirs, boolean allAllowed) {
        for (int k = 0; k < 100; k++) {
            boolean a = acl.isAllowed((Principal) ours[k][0], (String) ours[k][1], (ObjectRef) ours[k][2]);
            boolean b = enforcer.enforce((Object[]) theirs[k]) || resourceRoles.enforce((Object[]) theirs[k]);
            if (a != b || (allAllowed && !a)) {
                throw new IllegalStateException("engines disagree on " + List.of(theirs[k]) + ": ours " + a + ", jCasbin " + b);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private boolean ours(Object[][] reqs, int n) {
        Object[] r = reqs[i++ % n];
        return acl.isAllowed((Principal) r[0], (String) r[1], (ObjectRef) r[2]);
    }

    @Benchmark
    public boolean checkAllow() {
        return ours(allow, REQUESTS);
    }

    @Benchmark
    public boolean checkRandom() {
        return ours(random, REQUESTS);
    }

    @Benchmark
    public boolean checkViaCollection() {
        return ours(viaCollection, REQUESTS);
    }

    @Benchmark
    public boolean checkRepeated() {
        return ours(allow, REPEATED);
    }

    @Benchmark
    public Object checkExplained() {
        Object[] r = allow[i++ % REQUESTS];
        return acl.check((Principal) r[0], (String) r[1], (ObjectRef) r[2]);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object listPermitted() {
        Object[] r = viaCollection[i++ % REQUESTS];
        return acl.permitted((Principal) r[0], "Asset", "view");
    }

    @Benchmark
    public boolean peerEnforcerAllow() {
        return enforcer.enforce((Object[]) cAllow[i++ % REQUESTS]);
    }

    @Benchmark
    public boolean peerEnforcerRandom() {
        return enforcer.enforce((Object[]) cRandom[i++ % REQUESTS]);
    }

    @Benchmark
    public boolean peerResourceRolesViaCollection() {
        return resourceRoles.enforce((Object[]) cViaCollection[i++ % REQUESTS]);
    }

    @Benchmark
    public boolean peerCachedEnforcerRepeated() {
        return cached.enforce((Object[]) cAllow[i++ % REPEATED]);
    }
}
