package org.flowstore.serializers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.esotericsoftware.kryo.kryo5.io.Output;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.ValueList;
import org.flowstore.testing.TestFlows;

/**
 * Bytes from a broken or hostile peer: every failure is a {@link WireFormatException}, never a
 * hang, an OutOfMemoryError or another exception. The timeouts only guard against hangs.
 */
@Timeout(120)
class HostileBytesTest {

    private final StoreSerializer serializer = new StoreSerializer();
    private final FlowRuleBatchOperation batch = TestFlows.batch(9, FlowRuleOperation.ADD,
            TestFlows.rules(TestFlows.device(1), 0, 50));
    private final byte[] good = serializer.encode(batch);

    @Test
    void everyTruncationIsRefused() {
        for (int length = 0; length < good.length; length++) {
            byte[] prefix = Arrays.copyOf(good, length);
            assertThrows(WireFormatException.class, () -> serializer.decode(prefix), "prefix of " + length);
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        WireFormatException e = assertThrows(WireFormatException.class, () -> serializer.decode(longer));
        assertTrue(e.getMessage().contains("left over"), e.getMessage());
    }

    @Test
    void corruptBytesDecodeOrFailCleanly() {
        Random random = new Random(20261125);
        List<byte[]> messages = List.of(good, serializer.encode(WireSamples.ENTRY), serializer.encode(WireSamples.FAILED),
                serializer.encode(WireSamples.SAMPLES.get(ValueList.class).get(1)),
                serializer.encode(WireSamples.SAMPLES.get(BackupDelta.class).get(0)));
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = messages.get(round % messages.size()).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try {
                serializer.decode(bytes);
            } catch (WireFormatException expected) {
                // refused cleanly
            } catch (RuntimeException | Error e) {
                fail("round " + round + ": " + e, e);
            }
        }
    }

    @Test
    void hugeLengthClaimsFailWithoutAllocating() {
        for (int registrationId : new int[] {206, 203, 127, 153, 165, 100}) {
            Output out = new Output(64);
            out.writeVarInt(registrationId + 2, true);  // Kryo's class id encoding
            out.writeVarInt(Integer.MAX_VALUE, true);   // a length of 2 G items or bytes
            out.writeBytes(new byte[16]);
            byte[] bytes = out.toBytes();
            WireFormatException e = assertThrows(WireFormatException.class, () -> serializer.decode(bytes),
                    "registration " + registrationId);
            assertTrue(e.getMessage().contains("exceeds") || e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    @Test
    void aClassNamedOnTheWireIsRefusedWithoutReadingItsName() {
        Output out = new Output(16);
        out.writeVarInt(1, true);                    // Kryo's "class by name" marker
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}); // a 2 G name
        WireFormatException e = assertThrows(WireFormatException.class, () -> serializer.decode(out.toBytes()));
        assertTrue(e.getMessage().contains("named on the wire"), e.getMessage());
    }

    @Test
    void unknownTypesAreRefused() {
        Output out = new Output(8);
        out.writeVarInt(9999 + 2, true);
        assertThrows(WireFormatException.class, () -> serializer.decode(out.toBytes()));
        assertThrows(WireFormatException.class, () -> serializer.decode(new byte[0]));
        assertThrows(WireFormatException.class, () -> serializer.encode(new Object()));
        assertThrows(WireFormatException.class, () -> serializer.encode(List.of(1)));
    }

    @Test
    void valuesTheModelRefusesAreRefused() {
        // A rule whose priority was corrupted past 65535 must not decode into a rule.
        byte[] bytes = serializer.encode(TestFlows.rule(TestFlows.device(1), 1));
        Output out = new Output(bytes.length + 8);
        out.writeVarInt(160 + 2, true);
        out.writeVarInt(19, true);
        out.writeBytes("of:0000000000000001".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.writeVarInt(0, true);          // table
        out.writeVarInt(1_000_000, true);  // priority out of range
        out.writeBytes(new byte[32]);
        assertThrows(WireFormatException.class, () -> serializer.decode(out.toBytes()));
    }
}
