package io.dvmm.sdk.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

@ExtendWith(SimulatorExtensionTest.EchoExtension.class)
class SimulatorExtensionTest {

    /** The smallest simulator: a server that answers every request with its path. */
    static final class Echo implements AutoCloseable {
        static final AtomicInteger STARTED = new AtomicInteger();
        static final AtomicInteger OPEN = new AtomicInteger();
        final LoopbackServer server = LoopbackServer.http(r -> SimResponse.of(200, "OK").withBody("text/plain", r.path()));

        Echo() {
            STARTED.incrementAndGet();
            OPEN.incrementAndGet();
        }

        @Override
        public void close() {
            server.close();
            OPEN.decrementAndGet();
        }
    }

    public static final class EchoExtension extends SimulatorExtension<Echo> {
        public EchoExtension() {
            super(Echo.class);
        }

        @Override
        protected Echo start(ExtensionContext context) {
            return new Echo();
        }
    }

    private static Echo seen;

    @Test
    void injectsTheRunningSimulator(Echo echo) {
        assertThat(echo.server.url().toString()).startsWith("http://127.0.0.1:");
        seen = seen == null ? echo : seen;
        assertThat(echo).isSameAs(seen);
    }

    @Test
    void injectsTheSameOneIntoEveryTest(Echo echo) {
        seen = seen == null ? echo : seen;
        assertThat(echo).isSameAs(seen);
        assertThat(Echo.OPEN.get()).isEqualTo(1);
    }

    @Nested
    class Inner {
        @Test
        void nestedClassesShareIt(Echo echo) {
            seen = seen == null ? echo : seen;
            assertThat(echo).isSameAs(seen);
        }
    }

    @AfterAll
    static void onlyOneWasStarted() {
        assertThat(Echo.STARTED.get()).isEqualTo(1);
    }
}
