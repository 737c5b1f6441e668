package io.dvmm.sdk.hyperv.internal;

import io.cloudsoft.winrm4j.client.encryption.AsyncHttpEncryptionAwareConduit.EncryptionAwareHttpEntity;
import io.cloudsoft.winrm4j.client.encryption.SignAndEncryptOutInterceptor;
import io.cloudsoft.winrm4j.client.encryption.SignAndEncryptOutInterceptor.ContentWithType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.cxf.Bus;
import org.apache.cxf.io.CacheAndWriteOutputStream;
import org.apache.cxf.message.Message;
import org.apache.cxf.service.model.EndpointInfo;
import org.apache.cxf.transport.http.Address;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.asyncclient.AsyncHTTPConduit;
import org.apache.cxf.transport.http.asyncclient.AsyncHTTPConduitFactory;
import org.apache.cxf.transport.http.asyncclient.CXFHttpRequest;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.apache.cxf.ws.addressing.EndpointReferenceType;
import org.apache.http.client.config.AuthSchemes;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.entity.BasicHttpEntity;

/**
 * The conduit of NTLM message encryption ("sealing", WinRM over plain HTTP), rebuilt against CXF 3.6.
 *
 * <p>winrm4j 0.12.3 seals in {@code AsyncHttpEncryptionAwareConduit}, compiled against CXF 3.3, whose
 * {@code CXFHttpRequest.setOutputStream} took the conduit's inner {@code AsyncWrappedOutputStream}; CXF 3.6 takes
 * its interface {@code AsyncWrappedOutputStreamBase}, so winrm4j's class fails with {@code NoSuchMethodError} on the
 * first request. This is the same class, line for line where it can be, compiled here: it keeps the body cached (an
 * NTLM handshake sends it up to three times) and, each time the body goes out, sends what winrm4j's
 * {@link SignAndEncryptOutInterceptor} says is appropriate at that moment — a placeholder before the handshake, the
 * sealed {@code multipart/encrypted} body after it — with the matching length and type. The encryption itself stays
 * winrm4j's. The one reflective call reaches {@code EncryptAndSignOutputStream.getAppropriate()}, public in a
 * package-private class; the version of winrm4j is pinned, and {@link #check()} fails at connect time if it moved.
 */
final class NtlmSealingConduit extends AsyncHTTPConduit {

    private static final Class<?> SEALING_STREAM;
    private static final Method APPROPRIATE;
    private static final Throwable UNAVAILABLE;

    static {
        Class<?> type = null;
        Method method = null;
        Throwable failure = null;
        try {
            type = Class.forName(SignAndEncryptOutInterceptor.class.getName() + "$EncryptAndSignOutputStream", false,
                    SignAndEncryptOutInterceptor.class.getClassLoader());
            method = type.getMethod("getAppropriate");
            method.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = e;
        }
        SEALING_STREAM = type;
        APPROPRIATE = method;
        UNAVAILABLE = failure;
    }

    /** Fails when this winrm4j lacks what the conduit calls. */
    static void check() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("NTLM message encryption is unavailable with this winrm4j: " + UNAVAILABLE, UNAVAILABLE);
        }
    }

    /** What the body is to be now: placeholder, plain or sealed, as winrm4j's interceptor decides. */
    private static ContentWithType appropriate(Message message) {
        Object stream = message.getContent(SEALING_STREAM);
        if (stream == null) {
            throw new IllegalStateException("winrm4j's SignAndEncryptOutInterceptor did not run on this message");
        }
        try {
            return (ContentWithType) APPROPRIATE.invoke(stream);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the {@link NtlmSealingConduit} of one channel, on a pool of exactly one TCP connection: NTLM's sealing state
     * is that connection's. With more, a request sent the moment the previous answer arrived (before its connection is
     * back in the pool) would open a second connection, authenticate it, and leave the first with keys and sequence
     * numbers no longer in the credentials (found by trying it: the simulator saw sequence numbers of another session).
     * One I/O thread: a channel runs one request at a time.
     */
    static final class Factory extends AsyncHTTPConduitFactory {
        Factory() {
            super(Map.of(USE_POLICY, UseAsyncPolicy.ALWAYS, MAX_CONNECTIONS, 1, MAX_PER_HOST_CONNECTIONS, 1, THREAD_COUNT, 1));
        }

        @Override
        public HTTPConduit createConduit(Bus bus, EndpointInfo localInfo, EndpointReferenceType target) throws IOException {
            if (isShutdown()) {
                return null;
            }
            return new NtlmSealingConduit(bus, localInfo, target, this);
        }
    }

    /** NTLM inside Negotiate first: winrm4j's sealing engine is registered under Negotiate. */
    private static final List<String> AUTH_SCHEMES = List.of(AuthSchemes.SPNEGO, AuthSchemes.NTLM);

    private NtlmSealingConduit(Bus bus, EndpointInfo info, EndpointReferenceType target, Factory factory) throws IOException {
        super(bus, info, target, factory);
    }

    @Override
    protected void setupConnection(Message message, Address address, HTTPClientPolicy policy) throws IOException {
        super.setupConnection(message, address, policy);
        CXFHttpRequest request = message.get(CXFHttpRequest.class);
        if (request == null) {
            throw new IOException("NTLM message encryption needs CXF's asynchronous HTTP transport");
        }
        BasicHttpEntity entity = new EncryptionAwareHttpEntity() {
            @Override
            public boolean isRepeatable() {
                return request.getOutputStream().retransmitable();
            }

            @Override
            protected ContentWithType getAppropriate() {
                return appropriate(message);
            }
        };
        entity.setChunked(true);
        entity.setContentType((String) message.get(Message.CONTENT_TYPE));
        request.setEntity(entity);
        request.setConfig(RequestConfig.copy(request.getConfig()).setTargetPreferredAuthSchemes(AUTH_SCHEMES).build());
    }

    @Override
    protected OutputStream createOutputStream(Message message, boolean needToCacheRequest, boolean isChunking,
                                              int chunkThreshold) throws IOException {
        if (!Boolean.TRUE.equals(message.get(USE_ASYNC))) {
            throw new IOException("NTLM message encryption needs CXF's asynchronous HTTP transport");
        }
        CXFHttpRequest request = message.get(CXFHttpRequest.class);
        // Always cached (the handshake resends the body), never chunked (the sealed body's length is in the headers).
        SealedOutputStream out = new SealedOutputStream(message, chunkThreshold, getConduitName(), request.getURI());
        request.setOutputStream(out);
        return out;
    }

    /** The conduit's stream, whose cached copy (what a resend reads) is the appropriate body of the moment. */
    private final class SealedOutputStream extends AsyncWrappedOutputStream {
        SealedOutputStream(Message message, int chunkThreshold, String conduitName, URI uri) {
            super(message, true, false, chunkThreshold, conduitName, uri);
        }

        @Override
        protected void setupWrappedStream() throws IOException {
            super.setupWrappedStream();
            if (!(cachedStream instanceof AppropriateCopy)) {
                AppropriateCopy copy = new AppropriateCopy(cachedStream.getFlowThroughStream(), outMessage);
                cachedStream = copy;
                wrappedStream = copy;
            }
        }
    }

    /** Writes through like CXF's cache, but reads back the body winrm4j says is appropriate now. */
    private static final class AppropriateCopy extends CacheAndWriteOutputStream {
        private final Message message;

        AppropriateCopy(OutputStream flowThrough, Message message) {
            super(flowThrough);
            this.message = message;
        }

        @Override
        public byte[] getBytes() {
            return appropriate(message).payload;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(getBytes());
        }
    }
}
