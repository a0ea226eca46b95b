package org.flowstore.app.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;

import org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;

/**
 * The connection's framing: messages split anywhere in the stream are reassembled, a message
 * openflowj cannot parse (like Open vSwitch's role-status experimenter message) is skipped by its
 * length without closing the connection, and a length that cannot be a message is refused.
 */
class OpenFlowCodecTest {

    @Test
    void messagesSplitAnywhereAreReassembled() {
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowCodec.Decoder("test"));
        ByteBuf bytes = encode(echo(1), echo(2));
        for (int i = 0; i < bytes.readableBytes(); i++) {
            channel.writeInbound(bytes.retainedSlice(i, 1));
        }
        bytes.release();
        assertEquals(1, ((OFMessage) channel.readInbound()).getXid());
        assertEquals(2, ((OFMessage) channel.readInbound()).getXid());
        assertNull(channel.readInbound());
    }

    @Test
    void anUnparseableMessageIsSkippedByItsLength() {
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowCodec.Decoder("test"));
        // An ONF experimenter message (type 4) with an experimenter subtype openflowj does not know,
        // as Open vSwitch sends a controller it demoted.
        ByteBuf unknown = Unpooled.buffer();
        unknown.writeByte(4).writeByte(4).writeShort(24).writeInt(99);
        unknown.writeInt(0x4F4E4600).writeInt(1923).writeLong(0x0102030405060708L);
        ByteBuf stream = Unpooled.wrappedBuffer(unknown, encode(echo(3)));
        channel.writeInbound(stream);
        OFMessage next = channel.readInbound();
        assertEquals(OFType.ECHO_REQUEST, next.getType());
        assertEquals(3, next.getXid());
        assertNull(channel.readInbound());
        assertTrue(channel.isOpen());
    }

    @Test
    void aLengthShorterThanAHeaderIsRefused() {
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowCodec.Decoder("test"));
        ByteBuf bad = Unpooled.buffer().writeByte(4).writeByte(2).writeShort(3).writeInt(5);
        assertThrows(DecoderException.class, () -> channel.writeInbound(bad));
    }

    @Test
    void aListIsWrittenAsConsecutiveMessages() {
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowCodec.Encoder());
        channel.writeOutbound(java.util.List.of(echo(5), echo(6)));
        ByteBuf out = channel.readOutbound();
        EmbeddedChannel reader = new EmbeddedChannel(new OpenFlowCodec.Decoder("test"));
        reader.writeInbound(out);
        assertEquals(5, ((OFMessage) reader.readInbound()).getXid());
        assertEquals(6, ((OFMessage) reader.readInbound()).getXid());
    }

    @Test
    void aSwitchErrorIsNamedAsTheSpecificationNamesIt() {
        OFBadRequestErrorMsg error = SwitchConnection.OF13.errorMsgs().buildBadRequestErrorMsg()
                .setCode(OFBadRequestCode.IS_SLAVE).setXid(9).build();
        assertEquals("BAD_REQUEST/IS_SLAVE", SwitchConnection.describe(error));
        assertFalse(SwitchConnection.describe(error).isEmpty());
    }

    private static OFEchoRequest echo(long xid) {
        return SwitchConnection.OF13.buildEchoRequest().setXid(xid).setData(new byte[] {1, 2, 3}).build();
    }

    private static ByteBuf encode(OFMessage... messages) {
        ByteBuf buf = Unpooled.buffer();
        for (OFMessage m : messages) {
            m.writeTo(buf);
        }
        return buf;
    }
}
