package org.flowstore.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void deviceIdsAreInternedAndValidated() {
        assertSame(DeviceId.deviceId("of:0000000000000001"), DeviceId.deviceId("of:0000000000000001"));
        assertEquals("of:0000000000000001", DeviceId.deviceId("of:0000000000000001").uri());
        for (String bad : new String[] {"", "of", ":1", "of:", "of :1", "of:1\n", "x".repeat(300) + ":1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceId.deviceId(bad));
            assertTrue(e.getMessage().contains("device id"), e.getMessage());
        }
    }

    @Test
    void equality() {
        new EqualsTester()
                .addEqualityGroup(DeviceId.deviceId("of:1"), DeviceId.deviceId("of:1"))
                .addEqualityGroup(DeviceId.deviceId("of:2"))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(NodeId.nodeId("n1"), NodeId.nodeId("n1"))
                .addEqualityGroup(NodeId.nodeId("n2"))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(ApplicationId.of(1, "a"), ApplicationId.of(1, "a"))
                .addEqualityGroup(ApplicationId.of(1, "b"))
                .addEqualityGroup(ApplicationId.of(2, "a"))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(PortNumber.portNumber(5), PortNumber.fromString("5"))
                .addEqualityGroup(PortNumber.CONTROLLER, PortNumber.fromString("controller"),
                        PortNumber.portNumber(0xFFFF_FFFDL))
                .addEqualityGroup(PortNumber.portNumber(70000))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(MacAddress.valueOf("00:11:22:aa:bb:cc"), MacAddress.valueOf(0x001122AABBCCL))
                .addEqualityGroup(MacAddress.valueOf(1))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(VlanId.vlanId(10), VlanId.vlanId(10))
                .addEqualityGroup(VlanId.NONE, VlanId.vlanId(VlanId.NONE_VALUE))
                .addEqualityGroup(VlanId.ANY)
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(IpPrefix.valueOf("10.0.0.7/24"), IpPrefix.valueOf("10.0.0.0/24"))
                .addEqualityGroup(IpPrefix.valueOf("10.0.0.7/32"), IpPrefix.valueOf("10.0.0.7"))
                .addEqualityGroup(IpPrefix.valueOf("2001:db8::1/32"), IpPrefix.valueOf("2001:db8::/32"))
                .addEqualityGroup(IpPrefix.valueOf("0.0.0.0/0"))
                .addEqualityGroup(IpPrefix.valueOf("::/0"))
                .testEquals();
    }

    @Test
    void textForms() {
        assertEquals("CONTROLLER", PortNumber.CONTROLLER.toString());
        assertTrue(PortNumber.CONTROLLER.isLogical());
        assertFalse(PortNumber.portNumber(3).isLogical());
        assertEquals("00:11:22:AA:BB:CC", MacAddress.valueOf("00:11:22:aa:bb:cc").toString());
        assertEquals("10.0.0.0/24", IpPrefix.valueOf("10.0.0.7/24").toString());
        assertEquals("2001:db8::/32", IpPrefix.valueOf("2001:db8:1::1/32").toString());
        assertEquals("2001:db8::1/128", IpPrefix.valueOf("2001:db8::1").toString());
        assertEquals("10.1.2.3", IpAddress.valueOf("10.1.2.3").toString());
        assertEquals("255.255.255.255", IpAddress.ipv4(-1).toString());
        assertEquals("fe80::/10", IpPrefix.valueOf("fe80::1234/10").toString());
        assertEquals("a(1)", ApplicationId.of(1, "a").toString());
    }

    @Test
    void badValuesAreRefusedWithTheField() {
        assertThrows(IllegalArgumentException.class, () -> PortNumber.portNumber(-1));
        assertThrows(IllegalArgumentException.class, () -> PortNumber.fromString("eth0"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.valueOf("00:11:22:33:44"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.valueOf("00:11:22:33:44:zz"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.valueOf(1L << 48));
        assertThrows(IllegalArgumentException.class, () -> VlanId.vlanId(4097));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.valueOf("example.com"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.valueOf("10.0.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.valueOf("10.0.0.1/x"));
        assertThrows(IllegalArgumentException.class, () -> ApplicationId.of(70000, "a"));
        assertThrows(IllegalArgumentException.class, () -> ApplicationId.of(1, " "));
        assertThrows(IllegalArgumentException.class, () -> NodeId.nodeId("a b"));
    }

    @Test
    void nullsAreRefused() {
        NullPointerTester tester = new NullPointerTester();
        for (Class<?> c : new Class<?>[] {DeviceId.class, NodeId.class, ApplicationId.class, PortNumber.class,
                MacAddress.class, VlanId.class, IpAddress.class, IpPrefix.class}) {
            tester.testAllPublicStaticMethods(c);
        }
    }
}
