package org.flowstore.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

/**
 * The logging configurations the standalone jar ships are well-formed logback files (the tests
 * themselves log through slf4j-simple, so a broken file would only show in a running node).
 */
class LoggingConfigurationTest {

    @ParameterizedTest
    @ValueSource(strings = {"flowstore-node-logback.xml", "flowstore-cli-logback.xml"})
    void shippedLogbackConfigurationsParse(String resource) throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " on the classpath");
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            assertEquals("configuration", doc.getDocumentElement().getTagName());
        }
    }
}
