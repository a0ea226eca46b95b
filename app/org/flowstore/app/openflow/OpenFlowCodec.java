package org.flowstore.app.openflow;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenFlow on a byte stream: messages framed by the length in their header. A message openflowj
 * cannot parse (say, Open vSwitch's role-status experimenter message to a demoted controller) is
 * skipped by its length and logged once per message type and connection, instead of closing the
 * connection; only a header whose length cannot be a message ends it.
 */
final class OpenFlowCodec {

    /** Every OpenFlow message starts with version, type, length and xid: 8 bytes. */
    static final int HEADER_LENGTH = 8;

    private static final Logger log = LoggerFactory.getLogger(OpenFlowCodec.class);
    private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();

    private OpenFlowCodec() {
    }

    /** Splits the stream into messages and parses them; one per connection (it remembers what it skipped). */
    static final class Decoder extends ByteToMessageDecoder {

        private final String peer;
        private final Set<Integer> skippedTypes = new HashSet<>();

        /**
         * @param peer who is at the other end, for the log
         */
        Decoder(String peer) {
            this.peer = peer;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= HEADER_LENGTH) {
                int start = in.readerIndex();
                int length = in.getUnsignedShort(start + 2);
                if (length < HEADER_LENGTH) {
                    throw new CorruptedFrameException("OpenFlow message from " + peer + " claims " + length
                            + " bytes, less than its own header");
                }
                if (in.readableBytes() < length) {
                    return;
                }
                ByteBuf frame = in.retainedSlice(start, length);
                in.skipBytes(length);
                try {
                    OFMessage message = READER.readFrom(frame);
                    if (message != null) {
                        out.add(message);
                    } else {
                        skipped(frame, length, "incomplete");
                    }
                } catch (OFParseError | RuntimeException e) {
                    skipped(frame, length, e.getMessage());
                } finally {
                    frame.release();
                }
            }
        }

        private void skipped(ByteBuf frame, int length, String why) {
            int version = frame.getUnsignedByte(0);
            int type = frame.getUnsignedByte(1);
            if (skippedTypes.add(version << 8 | type)) {
                log.info("Skipped an OpenFlow message from {} that cannot be parsed (version {}, type {}, {} bytes: {});"
                        + " further ones of this type are skipped silently", peer, version, type, length, why);
            }
        }
    }

    /** Writes a message, or a list of messages into one buffer (a batch of flow-mods and its barrier). */
    static final class Encoder extends MessageToByteEncoder<Object> {

        @Override
        public boolean acceptOutboundMessage(Object msg) {
            return msg instanceof OFMessage || msg instanceof List<?>;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
            if (msg instanceof OFMessage message) {
                message.writeTo(out);
            } else {
                for (Object m : (List<?>) msg) {
                    ((OFMessage) m).writeTo(out);
                }
            }
        }
    }
}
