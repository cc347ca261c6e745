package io.mediastore.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP front on 127.0.0.1 for an S3 server: the first {@code failures} requests that {@code affected} matches get
 * HTTP 500 InternalError (a transient, non-throttling S3 error), everything else is forwarded unchanged. It forwards
 * at the HTTP level, Host header included, so SigV4 signatures made for the front still verify upstream. Each request
 * goes upstream on its own connection ({@code Connection: close}) to keep the relaying simple.
 */
final class FaultInjectingProxy implements AutoCloseable {
    /** Hop-by-hop headers, and the length, which is set again for the buffered body. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "expect", "transfer-encoding",
            "content-length", "date");
    static final String INTERNAL_ERROR = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>"
            + "<Message>We encountered an internal error. Please try again.</Message><RequestId>injected</RequestId></Error>";

    private final URI upstream;
    private final Predicate<String> affected;
    private final AtomicInteger failuresLeft;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    private FaultInjectingProxy(URI upstream, Predicate<String> affected, int failures) throws IOException {
        this.upstream = upstream;
        this.affected = affected;
        this.failuresLeft = new AtomicInteger(failures);
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(threads);
        http.start();
    }

    /**
     * Starts a front for {@code upstream} that fails the first {@code failures} requests whose
     * {@code "METHOD path?query"} {@code affected} accepts ({@link Integer#MAX_VALUE}: all of them).
     */
    static FaultInjectingProxy start(URI upstream, Predicate<String> affected, int failures) throws IOException {
        return new FaultInjectingProxy(upstream, affected, failures);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** Every request that reached the front, failed or forwarded, as {@code "METHOD path?query -> status"}. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** How many requests that {@code affected} matches reached the front. */
    long affectedRequests() {
        return requests.stream().filter(r -> affected.test(r.substring(0, r.lastIndexOf(" -> ")))).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String request = ex.getRequestMethod() + " " + ex.getRequestURI();
            if (affected.test(request) && failuresLeft.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
                requests.add(request + " -> 500");
                byte[] error = INTERNAL_ERROR.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/xml");
                ex.sendResponseHeaders(500, error.length);
                ex.getResponseBody().write(error);
                return;
            }
            forward(ex, body, request);
        }
    }

    /** Sends the request upstream as it came, records it with the upstream status and relays the answer. */
    private void forward(HttpExchange ex, byte[] body, String request) throws IOException {
        try (Socket s = new Socket(upstream.getHost(), upstream.getPort())) {
            s.setSoTimeout(120_000);
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            StringBuilder head = new StringBuilder(ex.getRequestMethod()).append(' ')
                    .append(ex.getRequestURI().toString()).append(" HTTP/1.1\r\n");
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
                }
            });
            if (body.length > 0 || ex.getRequestHeaders().containsKey("Content-Length")) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();

            InputStream in = new BufferedInputStream(s.getInputStream());
            int status = Integer.parseInt(readLine(in).split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (lower.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                }
                if (!NOT_FORWARDED.contains(lower)) {
                    ex.getResponseHeaders().add(name, value);
                }
            }
            boolean noBody = ex.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
            byte[] answer = noBody ? new byte[0] : chunked ? dechunk(in) : length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
            if (noBody && length >= 0) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(length));
            }
            // recorded before the answer goes out: the client may read the records as soon as it has the answer
            requests.add(request + " -> " + status);
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            ex.getResponseBody().write(answer);
        }
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                // trailers, if any, up to the empty line
                while (!readLine(in).isEmpty()) {
                    // skipped
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("upstream closed mid-line");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
