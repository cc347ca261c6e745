package io.mediastore.samples.server;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The reference server's configuration: immutable, built with {@link #builder()} (tests, embedding) or read by
 * {@link #load(Path, Map)} from a properties file plus environment variables (the real start).
 *
 * <p>Every key {@code a.b.cD} can be overridden by the environment variable {@code MEDIASTORE_A_B_C_D}
 * (upper case, dots and camel-case humps become underscores); the environment wins over the file. Secrets
 * (database password, S3 secret key) are hidden by {@link #toString()}.
 */
public final class ServerConfig {
    /** Every configuration key, with its default as text ("" for none), in documentation order. */
    public static final Map<String, String> KEYS;

    static {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("data.dir", "mediastore-data");
        k.put("bind.address", "127.0.0.1");
        k.put("api.port", "8443");
        k.put("web.port", "8444");
        k.put("http.redirectPort", "-1");
        k.put("public.apiUrl", "");
        k.put("public.webUrl", "");
        k.put("cors.allowedOrigins", "");
        k.put("tls.keystore", "");
        k.put("tls.keystorePassword", "");
        k.put("tls.hostnames", "localhost");
        k.put("db.url", "");
        k.put("db.user", "sa");
        k.put("db.password", "");
        k.put("db.poolSize", "10");
        k.put("blob.uri", "");
        k.put("blob.s3.accessKey", "");
        k.put("blob.s3.secretKey", "");
        k.put("secrets.file", "");
        k.put("upload.maxBytes", String.valueOf(2L * 1024 * 1024 * 1024));
        k.put("tokens.playbackTtl", "PT5M");
        k.put("tokens.downloadMaxTtl", "PT24H");
        k.put("session.ttl", "PT8H");
        k.put("login.maxFailuresPerUser", "5");
        k.put("login.maxFailuresPerIp", "30");
        k.put("login.maxBackoff", "PT15M");
        k.put("hls.segmentSeconds", "4");
        k.put("hls.workers", "1");
        k.put("acl.pollInterval", "PT0.5S");
        k.put("shutdown.grace", "PT20S");
        KEYS = java.util.Collections.unmodifiableMap(k);
    }

    private final Path dataDir;
    private final String bindAddress;
    private final int apiPort;
    private final int webPort;
    private final int httpRedirectPort;
    private final URI publicApiUrl;
    private final URI publicWebUrl;
    private final List<String> corsAllowedOrigins;
    private final Path tlsKeystore;
    private final String tlsKeystorePassword;
    private final List<String> tlsHostnames;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final int dbPoolSize;
    private final URI blobUri;
    private final String s3AccessKey;
    private final String s3SecretKey;
    private final Path secretsFile;
    private final long uploadMaxBytes;
    private final Duration tokenTtlForPlayback;
    private final Duration downloadMaxTtl;
    private final Duration sessionTtl;
    private final int loginMaxFailuresPerUser;
    private final int loginMaxFailuresPerIp;
    private final Duration loginMaxBackoff;
    private final int hlsSegmentSeconds;
    private final int hlsWorkers;
    private final Duration aclPollInterval;
    private final Duration shutdownGrace;
    private final Clock clock;

    private ServerConfig(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.bindAddress = b.bindAddress;
        this.apiPort = b.apiPort;
        this.webPort = b.webPort;
        this.httpRedirectPort = b.httpRedirectPort;
        this.publicApiUrl = b.publicApiUrl;
        this.publicWebUrl = b.publicWebUrl;
        this.corsAllowedOrigins = List.copyOf(b.corsAllowedOrigins);
        this.tlsKeystore = b.tlsKeystore;
        this.tlsKeystorePassword = b.tlsKeystorePassword;
        this.tlsHostnames = List.copyOf(b.tlsHostnames);
        this.dbUrl = b.dbUrl != null ? b.dbUrl
                : "jdbc:h2:file:" + dataDir.resolve("db").resolve("mediastore") + ";DB_CLOSE_ON_EXIT=FALSE";
        this.dbUser = b.dbUser;
        this.dbPassword = b.dbPassword;
        this.dbPoolSize = b.dbPoolSize;
        this.blobUri = b.blobUri != null ? b.blobUri : dataDir.resolve("blobs").toUri();
        this.s3AccessKey = b.s3AccessKey;
        this.s3SecretKey = b.s3SecretKey;
        this.secretsFile = b.secretsFile != null ? b.secretsFile : dataDir.resolve("secrets.properties");
        this.uploadMaxBytes = b.uploadMaxBytes;
        this.tokenTtlForPlayback = b.tokenTtlForPlayback;
        this.downloadMaxTtl = b.downloadMaxTtl;
        this.sessionTtl = b.sessionTtl;
        this.loginMaxFailuresPerUser = b.loginMaxFailuresPerUser;
        this.loginMaxFailuresPerIp = b.loginMaxFailuresPerIp;
        this.loginMaxBackoff = b.loginMaxBackoff;
        this.hlsSegmentSeconds = b.hlsSegmentSeconds;
        this.hlsWorkers = b.hlsWorkers;
        this.aclPollInterval = b.aclPollInterval;
        this.shutdownGrace = b.shutdownGrace;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDir = dataDir;
        b.bindAddress = bindAddress;
        b.apiPort = apiPort;
        b.webPort = webPort;
        b.httpRedirectPort = httpRedirectPort;
        b.publicApiUrl = publicApiUrl;
        b.publicWebUrl = publicWebUrl;
        b.corsAllowedOrigins = new ArrayList<>(corsAllowedOrigins);
        b.tlsKeystore = tlsKeystore;
        b.tlsKeystorePassword = tlsKeystorePassword;
        b.tlsHostnames = new ArrayList<>(tlsHostnames);
        b.dbUrl = dbUrl;
        b.dbUser = dbUser;
        b.dbPassword = dbPassword;
        b.dbPoolSize = dbPoolSize;
        b.blobUri = blobUri;
        b.s3AccessKey = s3AccessKey;
        b.s3SecretKey = s3SecretKey;
        b.secretsFile = secretsFile;
        b.uploadMaxBytes = uploadMaxBytes;
        b.tokenTtlForPlayback = tokenTtlForPlayback;
        b.downloadMaxTtl = downloadMaxTtl;
        b.sessionTtl = sessionTtl;
        b.loginMaxFailuresPerUser = loginMaxFailuresPerUser;
        b.loginMaxFailuresPerIp = loginMaxFailuresPerIp;
        b.loginMaxBackoff = loginMaxBackoff;
        b.hlsSegmentSeconds = hlsSegmentSeconds;
        b.hlsWorkers = hlsWorkers;
        b.aclPollInterval = aclPollInterval;
        b.shutdownGrace = shutdownGrace;
        b.clock = clock;
        return b;
    }

    /** The environment variable that overrides {@code key}: {@code tokens.playbackTtl} -> {@code MEDIASTORE_TOKENS_PLAYBACK_TTL}. */
    public static String envName(String key) {
        StringBuilder sb = new StringBuilder("MEDIASTORE_");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(c)) {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    /**
     * Reads {@code file} (a properties file; may be null or absent) and applies {@code env} overrides.
     *
     * @throws IllegalArgumentException on an unknown key in the file or a malformed value (the message names the key)
     * @throws IOException when the file exists but cannot be read
     */
    public static ServerConfig load(Path file, Map<String, String> env) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (file != null && Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String name : p.stringPropertyNames()) {
                if (!KEYS.containsKey(name)) {
                    throw new IllegalArgumentException("unknown configuration key '" + name + "' in " + file);
                }
                values.put(name, p.getProperty(name).strip());
            }
        }
        for (String key : KEYS.keySet()) {
            String v = env.get(envName(key));
            if (v != null) {
                values.put(key, v.strip());
            }
        }
        return fromMap(values);
    }

    static ServerConfig fromMap(Map<String, String> values) {
        Builder b = builder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue();
            if (v.isEmpty()) {
                continue;
            }
            try {
                apply(b, e.getKey(), v);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("bad value for configuration key '" + e.getKey() + "': "
                        + (e.getKey().toLowerCase(Locale.ROOT).contains("password") || e.getKey().contains("secret")
                        ? "(hidden)" : ex.getMessage()), ex);
            }
        }
        return b.build();
    }

    private static void apply(Builder b, String key, String v) {
        switch (key) {
            case "data.dir" -> b.dataDir(Path.of(v));
            case "bind.address" -> b.bindAddress(v);
            case "api.port" -> b.apiPort(Integer.parseInt(v));
            case "web.port" -> b.webPort(Integer.parseInt(v));
            case "http.redirectPort" -> b.httpRedirectPort(Integer.parseInt(v));
            case "public.apiUrl" -> b.publicApiUrl(URI.create(v));
            case "public.webUrl" -> b.publicWebUrl(URI.create(v));
            case "cors.allowedOrigins" -> b.corsAllowedOrigins(List.of(v.split("\\s*,\\s*")));
            case "tls.keystore" -> b.tlsKeystore(Path.of(v));
            case "tls.keystorePassword" -> b.tlsKeystorePassword(v);
            case "tls.hostnames" -> b.tlsHostnames(List.of(v.split("\\s*,\\s*")));
            case "db.url" -> b.database(v, null, null);
            case "db.user" -> b.dbUser = v;
            case "db.password" -> b.dbPassword = v;
            case "db.poolSize" -> b.dbPoolSize(Integer.parseInt(v));
            case "blob.uri" -> b.blobUri(URI.create(v));
            case "blob.s3.accessKey" -> b.s3AccessKey = v;
            case "blob.s3.secretKey" -> b.s3SecretKey = v;
            case "secrets.file" -> b.secretsFile(Path.of(v));
            case "upload.maxBytes" -> b.uploadMaxBytes(Long.parseLong(v));
            case "tokens.playbackTtl" -> b.tokenTtlForPlayback(Duration.parse(v));
            case "tokens.downloadMaxTtl" -> b.downloadMaxTtl(Duration.parse(v));
            case "session.ttl" -> b.sessionTtl(Duration.parse(v));
            case "login.maxFailuresPerUser" -> b.loginLimits(Integer.parseInt(v), b.loginMaxFailuresPerIp, b.loginMaxBackoff);
            case "login.maxFailuresPerIp" -> b.loginLimits(b.loginMaxFailuresPerUser, Integer.parseInt(v), b.loginMaxBackoff);
            case "login.maxBackoff" -> b.loginLimits(b.loginMaxFailuresPerUser, b.loginMaxFailuresPerIp, Duration.parse(v));
            case "hls.segmentSeconds" -> b.hlsSegmentSeconds(Integer.parseInt(v));
            case "hls.workers" -> b.hlsWorkers(Integer.parseInt(v));
            case "acl.pollInterval" -> b.aclPollInterval(Duration.parse(v));
            case "shutdown.grace" -> b.shutdownGrace(Duration.parse(v));
            default -> throw new IllegalArgumentException("unknown key");
        }
    }

    public Path dataDir() { return dataDir; }
    public String bindAddress() { return bindAddress; }
    public int apiPort() { return apiPort; }
    public int webPort() { return webPort; }
    public int httpRedirectPort() { return httpRedirectPort; }
    /** The configured public API URL, or null to derive it from the bound port. */
    public URI publicApiUrl() { return publicApiUrl; }
    public URI publicWebUrl() { return publicWebUrl; }
    /** Explicit CORS origins; empty means "the web origin". */
    public List<String> corsAllowedOrigins() { return corsAllowedOrigins; }
    public Path tlsKeystore() { return tlsKeystore; }
    public String tlsKeystorePassword() { return tlsKeystorePassword; }
    public List<String> tlsHostnames() { return tlsHostnames; }
    public String dbUrl() { return dbUrl; }
    public String dbUser() { return dbUser; }
    public String dbPassword() { return dbPassword; }
    public int dbPoolSize() { return dbPoolSize; }
    public URI blobUri() { return blobUri; }
    public String s3AccessKey() { return s3AccessKey; }
    public String s3SecretKey() { return s3SecretKey; }
    public Path secretsFile() { return secretsFile; }
    public long uploadMaxBytes() { return uploadMaxBytes; }
    public Duration tokenTtlForPlayback() { return tokenTtlForPlayback; }
    public Duration downloadMaxTtl() { return downloadMaxTtl; }
    public Duration sessionTtl() { return sessionTtl; }
    public int loginMaxFailuresPerUser() { return loginMaxFailuresPerUser; }
    public int loginMaxFailuresPerIp() { return loginMaxFailuresPerIp; }
    public Duration loginMaxBackoff() { return loginMaxBackoff; }
    public int hlsSegmentSeconds() { return hlsSegmentSeconds; }
    public int hlsWorkers() { return hlsWorkers; }
    public Duration aclPollInterval() { return aclPollInterval; }
    public Duration shutdownGrace() { return shutdownGrace; }
    /** The clock of sessions, tokens and rate limits (tests inject one to expire tokens). */
    public Clock clock() { return clock; }

    @Override
    public String toString() {
        return "ServerConfig[dataDir=" + dataDir + ", bind=" + bindAddress + ", apiPort=" + apiPort + ", webPort="
                + webPort + ", db=" + dbUrl.replaceAll("(?i)password=[^;&]*", "password=(hidden)") + ", blob="
                + blobUri.getScheme() + ":..., dbPassword=(hidden), s3SecretKey=(hidden)]";
    }

    /** Builds a {@link ServerConfig}; {@link #build()} validates. */
    public static final class Builder {
        private Path dataDir = Path.of("mediastore-data");
        private String bindAddress = "127.0.0.1";
        private int apiPort = 8443;
        private int webPort = 8444;
        private int httpRedirectPort = -1;
        private URI publicApiUrl;
        private URI publicWebUrl;
        private List<String> corsAllowedOrigins = new ArrayList<>();
        private Path tlsKeystore;
        private String tlsKeystorePassword;
        private List<String> tlsHostnames = new ArrayList<>(List.of("localhost"));
        private String dbUrl;
        private String dbUser = "sa";
        private String dbPassword = "";
        private int dbPoolSize = 10;
        private URI blobUri;
        private String s3AccessKey;
        private String s3SecretKey;
        private Path secretsFile;
        private long uploadMaxBytes = 2L * 1024 * 1024 * 1024;
        private Duration tokenTtlForPlayback = Duration.ofMinutes(5);
        private Duration downloadMaxTtl = Duration.ofHours(24);
        private Duration sessionTtl = Duration.ofHours(8);
        private int loginMaxFailuresPerUser = 5;
        private int loginMaxFailuresPerIp = 30;
        private Duration loginMaxBackoff = Duration.ofMinutes(15);
        private int hlsSegmentSeconds = 4;
        private int hlsWorkers = 1;
        private Duration aclPollInterval = Duration.ofMillis(500);
        private Duration shutdownGrace = Duration.ofSeconds(20);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where the H2 database, blobs, TLS keystore and secrets live by default. */
        public Builder dataDir(Path dir) { this.dataDir = Objects.requireNonNull(dir, "dir"); return this; }
        /** The one interface both HTTPS connectors bind to (default 127.0.0.1). */
        public Builder bindAddress(String address) { this.bindAddress = Objects.requireNonNull(address, "address"); return this; }
        /** 0 = ephemeral. */
        public Builder apiPort(int port) { this.apiPort = port(port); return this; }
        public Builder webPort(int port) { this.webPort = port(port); return this; }
        /** A plain-HTTP port that only redirects to HTTPS; -1 (default) = off. */
        public Builder httpRedirectPort(int port) { this.httpRedirectPort = port == -1 ? -1 : port(port); return this; }
        public Builder publicApiUrl(URI url) { this.publicApiUrl = https(url); return this; }
        public Builder publicWebUrl(URI url) { this.publicWebUrl = https(url); return this; }
        public Builder corsAllowedOrigins(List<String> origins) {
            for (String o : origins) {
                URI u = URI.create(o);
                if (!"https".equals(u.getScheme()) || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty())) {
                    throw new IllegalArgumentException("a CORS origin is https://host[:port] without a path");
                }
            }
            this.corsAllowedOrigins = new ArrayList<>(origins);
            return this;
        }
        /** A PKCS#12 keystore with the server certificate; default: a self-signed one generated under the data dir. */
        public Builder tlsKeystore(Path keystore) { this.tlsKeystore = keystore; return this; }
        public Builder tlsKeystorePassword(String password) { this.tlsKeystorePassword = password; return this; }
        /** DNS names of the generated certificate (127.0.0.1 and ::1 are always included). */
        public Builder tlsHostnames(List<String> names) { this.tlsHostnames = new ArrayList<>(names); return this; }
        /** A JDBC URL (H2 or PostgreSQL) with user and password; null user/password keep the current ones. */
        public Builder database(String url, String user, String password) {
            if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("db.url must be a jdbc:h2: or jdbc:postgresql: URL");
            }
            this.dbUrl = url;
            if (user != null) {
                this.dbUser = user;
            }
            if (password != null) {
                this.dbPassword = password;
            }
            return this;
        }
        public Builder dbPoolSize(int size) {
            if (size < 2 || size > 200) {
                throw new IllegalArgumentException("db.poolSize is 2..200");
            }
            this.dbPoolSize = size;
            return this;
        }
        /** A mediastore-storage URI (file:, s3:, replicated:, encrypted:); default file:&lt;dataDir&gt;/blobs. */
        public Builder blobUri(URI uri) { this.blobUri = Objects.requireNonNull(uri, "uri"); return this; }
        /** Static S3 credentials for s3: blob URIs (else the AWS SDK's default chain). */
        public Builder s3Credentials(String accessKey, String secretKey) {
            this.s3AccessKey = accessKey;
            this.s3SecretKey = secretKey;
            return this;
        }
        /** The secrets file (pepper, HLS and storage master keys, token-key wrapping key); default dataDir/secrets.properties. */
        public Builder secretsFile(Path file) { this.secretsFile = file; return this; }
        public Builder uploadMaxBytes(long max) {
            if (max < 1) {
                throw new IllegalArgumentException("upload.maxBytes must be positive");
            }
            this.uploadMaxBytes = max;
            return this;
        }
        /** Lifetime of a playback (view) token. */
        public Builder tokenTtlForPlayback(Duration ttl) {
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(12)) > 0) {
                throw new IllegalArgumentException("tokens.playbackTtl is 1 s to 12 h");
            }
            this.tokenTtlForPlayback = ttl;
            return this;
        }
        public Builder downloadMaxTtl(Duration ttl) {
            if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("tokens.downloadMaxTtl is 1 min to 7 days");
            }
            this.downloadMaxTtl = ttl;
            return this;
        }
        public Builder sessionTtl(Duration ttl) {
            if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("session.ttl is at least 1 minute");
            }
            this.sessionTtl = ttl;
            return this;
        }
        /** Failures before backoff starts, per user name and per client address, and the longest backoff. */
        public Builder loginLimits(int perUser, int perIp, Duration maxBackoff) {
            if (perUser < 1 || perIp < 1 || maxBackoff.isNegative() || maxBackoff.isZero()) {
                throw new IllegalArgumentException("login limits must be positive");
            }
            this.loginMaxFailuresPerUser = perUser;
            this.loginMaxFailuresPerIp = perIp;
            this.loginMaxBackoff = maxBackoff;
            return this;
        }
        public Builder hlsSegmentSeconds(int seconds) {
            if (seconds < 1 || seconds > 30) {
                throw new IllegalArgumentException("hls.segmentSeconds is 1..30");
            }
            this.hlsSegmentSeconds = seconds;
            return this;
        }
        /** Background transcoding threads (0 = this instance never transcodes). */
        public Builder hlsWorkers(int workers) {
            if (workers < 0 || workers > 16) {
                throw new IllegalArgumentException("hls.workers is 0..16");
            }
            this.hlsWorkers = workers;
            return this;
        }
        public Builder aclPollInterval(Duration interval) {
            if (interval.toMillis() < 50) {
                throw new IllegalArgumentException("acl.pollInterval is at least 50 ms");
            }
            this.aclPollInterval = interval;
            return this;
        }
        public Builder shutdownGrace(Duration grace) { this.shutdownGrace = Objects.requireNonNull(grace); return this; }
        public Builder clock(Clock clock) { this.clock = Objects.requireNonNull(clock, "clock"); return this; }

        public ServerConfig build() {
            if (apiPort != 0 && apiPort == webPort) {
                throw new IllegalArgumentException("api.port and web.port must differ");
            }
            return new ServerConfig(this);
        }

        private static int port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("a port is 0..65535");
            }
            return p;
        }

        private static URI https(URI u) {
            if (u != null && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("public URLs are https");
            }
            return u;
        }
    }
}
