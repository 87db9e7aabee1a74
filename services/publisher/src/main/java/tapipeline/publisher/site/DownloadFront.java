package tapipeline.publisher.site;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.service.ServiceRuntime;

/**
 * The public site's port ({@code SITE_PORT}): a Netty server in front of the site's Jetty. It answers
 * plain handbook downloads itself, the file sent with {@code sendfile} (zero-copy, as nginx does), and
 * passes every other connection on to Jetty unchanged.
 *
 * <p>Per connection, requests are read with Netty's HTTP/1.1 decoder. While every request is a GET or
 * HEAD of a download that {@link Downloads#planFor} finds (HTTP/1.1, one Host, no body, no
 * {@code Connection} other than keep-alive, no {@code Upgrade} or {@code Expect}, no query), the
 * front sends the same response Jetty's {@link FastDownloads} would: the same plan, headers and
 * bytes, plus {@code Date}. At the first request that is anything else (a page, a sign-in, an error,
 * a 404, a malformed request), the connection becomes a byte tunnel to Jetty's loopback connector: a
 * PROXY protocol header with the client's address (so Jetty, sessions and the sign-in throttle see the
 * real client), then that request's raw bytes and everything after, both ways, until either side
 * closes. Jetty therefore parses and answers everything but the plain downloads, with its own limits
 * and errors; the front never interprets what it passes on.
 */
public final class DownloadFront implements ServiceRuntime.Front {

    private static final Logger log = LoggerFactory.getLogger(DownloadFront.class);

    /** Idle keep-alive connections are closed after this long (Jetty's connector default). */
    static final int IDLE_SECONDS = 30;

    private static final byte[] CRLF = {'\r', '\n'};

    private final Downloads downloads;
    private final InetSocketAddress web;
    private final EventLoopGroup group;
    private final Class<? extends Channel> clientType;
    private final boolean epoll;
    private final Channel server;

    private DownloadFront(Downloads downloads, String host, int port, int webPort) throws InterruptedException {
        this.downloads = downloads;
        this.web = new InetSocketAddress("127.0.0.1", webPort);
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        try {
            this.server = new ServerBootstrap().group(group).channel(serverType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    // a restarted publisher binds its port again while old connections linger (as Jetty's connector)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // a client that shuts down its side after its request still gets the answer
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            new Connection(ch);
                        }
                    })
                    .bind(host, port).sync().channel();
        } catch (Throwable e) { // also a port in use (a BindException, thrown by sync() undeclared)
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        log.info("public site front on {} ({}), passing other requests to Jetty on {}", server.localAddress(),
                epoll ? "epoll, sendfile" : "nio, transferTo", web);
    }

    /** Starts the front on {@code host:port} (0: a free port), passing connections on to Jetty's loopback {@code webPort}. */
    public static DownloadFront start(Downloads downloads, String host, int port, int webPort) throws InterruptedException {
        return new DownloadFront(downloads, host, port, webPort);
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * The plan the front answers itself, or null when the request goes to Jetty.
     */
    Downloads.Plan fastPlan(HttpRequest req) {
        if (!req.decoderResult().isSuccess() || req.protocolVersion() != HttpVersion.HTTP_1_1) {
            return null;
        }
        HttpMethod method = req.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return null;
        }
        String uri = req.uri();
        if (uri.indexOf('?') >= 0 || uri.indexOf('%') >= 0 || uri.indexOf(';') >= 0) {
            return null; // Jetty decodes and normalises such paths; its FastDownloads serves them
        }
        HttpHeaders h = req.headers();
        if (h.contains(HttpHeaderNames.CONTENT_LENGTH) || h.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || h.contains(HttpHeaderNames.UPGRADE) || h.contains(HttpHeaderNames.EXPECT)) {
            return null;
        }
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null && !connection.trim().equalsIgnoreCase("keep-alive")) {
            return null;
        }
        List<String> hosts = h.getAll(HttpHeaderNames.HOST);
        if (hosts.size() != 1 || !plainHost(hosts.get(0))) {
            return null; // Jetty answers a missing, repeated or odd Host with its 400
        }
        Downloads.Plan plan = downloads.planFor(method.name(), uri, h::get).orElse(null);
        return plan == null || !plan.found() || plan.text() != null ? null : plan;
    }

    /** A Host value of letters, digits, '.', '-', ':', '[' and ']' only. */
    static boolean plainHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] OK = statusLine(200);

    static byte[] statusLine(int status) {
        return ("HTTP/1.1 " + status + " " + HttpStatus.getMessage(status) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The response's head: status line, Date, the plan's header lines, the blank line. */
    static ByteBuf head(Channel ch, Downloads.Plan plan) {
        byte[] lines = plan.headerLines() != null ? plan.headerLines() : Downloads.headerLines(plan.headers());
        byte[] status = plan.status() == 200 ? OK : statusLine(plan.status());
        byte[] date = dateLine();
        ByteBuf b = ch.alloc().directBuffer(status.length + date.length + lines.length + 2);
        return b.writeBytes(status).writeBytes(date).writeBytes(lines).writeBytes(CRLF);
    }

    private static volatile Object[] date = {0L, new byte[0]};

    /** "Date: ..." with CRLF, formatted once a second (as Jetty's DateCache). */
    static byte[] dateLine() {
        Object[] d = date;
        long second = System.currentTimeMillis() / 1000;
        if ((long) d[0] == second) {
            return (byte[]) d[1];
        }
        byte[] line = ("Date: " + DateGenerator.formatDate(second * 1000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        date = new Object[] {second, line};
        return line;
    }

    /** A file region on an edition's shared open file: sent with sendfile, never closes the file. */
    private static final class EditionRegion extends DefaultFileRegion {
        EditionRegion(FileChannel file, long size) {
            super(file, 0, size);
        }

        @Override
        protected void deallocate() {
            // the file stays open for the next download (Downloads closes it)
        }
    }

    /** Netty's request decoder, telling how many received bytes it has not consumed yet. */
    private static final class Decoder extends HttpRequestDecoder {
        int leftover() {
            return internalBuffer().readableBytes();
        }
    }

    private enum Mode { FAST, CONNECTING, TUNNEL }

    /**
     * One client connection: [idle, raw, decoder, requests]. "raw" keeps the bytes of the current
     * request (from its first byte) until it is answered, so that the connection can be handed to
     * Jetty with exactly the bytes Jetty has not seen.
     */
    private final class Connection {
        private final Channel ch;
        private final Decoder decoder = new Decoder();
        private Mode mode = Mode.FAST;
        /** Bytes received from the start of the request being read (stream offset {@link #rawStart}). */
        private CompositeByteBuf raw;
        private long received;
        private long rawStart;
        private boolean wrote;
        private boolean inputShut;
        private Channel backend;

        Connection(Channel ch) {
            this.ch = ch;
            this.raw = ch.alloc().compositeBuffer();
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                    .addLast("raw", new Raw())
                    .addLast("decoder", decoder)
                    .addLast("requests", new Requests());
        }

        /** Bytes the decoder has consumed, as a stream offset. */
        private long consumed() {
            return received - decoder.leftover();
        }

        /** A request was answered here: its bytes are no longer needed. */
        private void answered() {
            long c = consumed();
            raw.skipBytes((int) (c - rawStart));
            raw.discardReadComponents();
            rawStart = c;
        }

        private final class Raw extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                switch (mode) {
                    case FAST -> {
                        received += in.readableBytes();
                        raw.addComponent(true, in.retainedDuplicate());
                        ctx.fireChannelRead(in);
                    }
                    case CONNECTING -> raw.addComponent(true, in);
                    case TUNNEL -> backend.write(in, backend.voidPromise());
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                if (mode == Mode.FAST) {
                    ctx.fireChannelReadComplete();
                } else if (mode == Mode.TUNNEL) {
                    backend.flush();
                    if (!backend.isWritable()) {
                        ch.config().setAutoRead(false); // until Jetty takes more (backend writability)
                    }
                }
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (mode == Mode.TUNNEL) {
                    backend.config().setAutoRead(ch.isWritable());
                } else if (mode == Mode.FAST) {
                    ch.config().setAutoRead(ch.isWritable());
                }
                ctx.fireChannelWritabilityChanged();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof IdleStateEvent) {
                    ch.close();
                } else if (evt instanceof ChannelInputShutdownEvent) {
                    inputShut = true;
                    if (mode == Mode.FAST) {
                        // the client sends nothing more: close once what was answered has been sent
                        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    } else if (mode == Mode.TUNNEL) {
                        ((DuplexChannel) backend).shutdownOutput(); // Jetty answers, then closes
                    }
                } else {
                    ctx.fireUserEventTriggered(evt);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (backend != null) {
                    backend.close();
                }
                if (raw != null) {
                    raw.release();
                    raw = null;
                }
                ctx.fireChannelInactive();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ch.close();
            }
        }

        private final class Requests extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (mode != Mode.FAST) {
                        return; // already passed on to Jetty as raw bytes
                    }
                    if (msg instanceof HttpRequest req) {
                        Downloads.Plan plan = fastPlan(req);
                        if (plan == null) {
                            tunnel();
                            return;
                        }
                        respond(plan, req.method() == HttpMethod.HEAD);
                    }
                    if (msg instanceof LastHttpContent) {
                        answered();
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                if (wrote) {
                    wrote = false;
                    if (epoll) {
                        // header and file leave in full segments, as nginx's tcp_nopush
                        EpollSocketChannelConfig config = (EpollSocketChannelConfig) ch.config();
                        config.setTcpCork(true);
                        ch.flush();
                        config.setTcpCork(false);
                    } else {
                        ch.flush();
                    }
                    if (!ch.isWritable()) {
                        ch.config().setAutoRead(false); // until the client has read what was sent
                    }
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ch.close();
            }
        }

        private void respond(Downloads.Plan plan, boolean head) {
            ch.write(head(ch, plan), ch.voidPromise());
            if (!head) {
                if (plan.file() != null && plan.headerLines() != null) {
                    ch.write(new EditionRegion(plan.file(), plan.body().remaining()), ch.voidPromise());
                } else if (plan.body() != null) {
                    ch.write(Unpooled.wrappedBuffer(plan.body()), ch.voidPromise());
                }
            }
            wrote = true;
        }

        /** From here on, the connection is Jetty's: connect, send the PROXY header and the raw bytes. */
        private void tunnel() {
            mode = Mode.CONNECTING;
            ch.pipeline().remove("idle"); // Jetty's idle timeout applies from now on
            ch.config().setAutoRead(false); // until Jetty's connection is there
            if (wrote) {
                wrote = false;
                ch.flush();
            }
            new Bootstrap().group(ch.eventLoop()).channel(clientType)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel b) {
                            b.pipeline().addLast("proxy", HAProxyMessageEncoder.INSTANCE).addLast(new Back());
                        }
                    })
                    .connect(web).addListener((ChannelFuture f) -> connected(f));
        }

        private void connected(ChannelFuture f) {
            if (!f.isSuccess()) {
                log.warn("public site: cannot pass a connection on to Jetty at {}: {}", web, f.cause().toString());
                ch.close();
                return;
            }
            backend = f.channel();
            if (!ch.isActive() || raw == null) {
                backend.close();
                return;
            }
            backend.write(proxyHeader(ch), backend.voidPromise());
            backend.pipeline().remove("proxy");
            backend.writeAndFlush(raw, backend.voidPromise());
            raw = null;
            mode = Mode.TUNNEL;
            if (inputShut) {
                ((DuplexChannel) backend).shutdownOutput();
            }
            backend.config().setAutoRead(ch.isWritable());
            ch.config().setAutoRead(backend.isWritable());
        }

        /** Jetty's side of a tunnelled connection: its bytes go to the client as they come. */
        private final class Back extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ch.write(msg, ch.voidPromise());
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ch.flush();
                if (!ch.isWritable()) {
                    ctx.channel().config().setAutoRead(false); // until the client reads (front writability)
                }
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (mode == Mode.TUNNEL) {
                    ch.config().setAutoRead(ctx.channel().isWritable());
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (ch.isActive()) {
                    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }

    /** PROXY protocol v1: the client's and the public socket's addresses, for Jetty's ProxyConnectionFactory. */
    static HAProxyMessage proxyHeader(Channel ch) {
        InetSocketAddress src = (InetSocketAddress) ch.remoteAddress();
        InetSocketAddress dst = (InetSocketAddress) ch.localAddress();
        boolean v4 = src.getAddress() instanceof Inet4Address;
        if (v4 != dst.getAddress() instanceof Inet4Address) {
            return new HAProxyMessage(HAProxyProtocolVersion.V1, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN,
                    null, null, 0, 0);
        }
        return new HAProxyMessage(HAProxyProtocolVersion.V1, HAProxyCommand.PROXY,
                v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                src.getAddress().getHostAddress(), dst.getAddress().getHostAddress(), src.getPort(), dst.getPort());
    }
}
