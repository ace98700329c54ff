package dev.hmemu.gdbstub;

import dev.hmemu.emulator.debug.DebugTarget;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gdb remote stub's server: one event-loop thread, one gdb at a time (a second
 * connection is closed at once), bound to the address given (the CLI's default is
 * 127.0.0.1). The pipeline is built here and only here.
 */
public final class GdbServer implements AutoCloseable {
    private final DebugTarget target;
    private final int cpuCount;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicBoolean connected = new AtomicBoolean();
    private Channel server;

    public GdbServer(DebugTarget target, int cpuCount) {
        this.target = target;
        this.cpuCount = cpuCount;
    }

    /** Adds the stub's handlers to a connection's pipeline (also used by tests on an EmbeddedChannel). */
    static void initPipeline(ChannelPipeline p, DebugTarget target, int cpuCount) {
        p.addLast("frames", new GdbFrameDecoder(GdbSessionHandler.PACKET_SIZE + 64));
        p.addLast("packets", new GdbPacketEncoder());
        p.addLast("session", new GdbSessionHandler(target, cpuCount));
    }

    /**
     * Listens on {@code host}:{@code port} (0 picks a free port).
     *
     * @return the address bound
     */
    public InetSocketAddress start(String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!connected.compareAndSet(false, true)) {
                            ch.close(); // one debugger at a time
                            return;
                        }
                        ch.closeFuture().addListener(f -> connected.set(false));
                        initPipeline(ch.pipeline(), target, cpuCount);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                });
        server = b.bind(host, port).sync().channel();
        Thread warmUp = new Thread(CodecWarmUp::run, "gdb-codec-warm-up");
        warmUp.setDaemon(true);
        warmUp.start(); // while gdb is not connected yet
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
