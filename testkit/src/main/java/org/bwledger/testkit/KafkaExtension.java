package org.bwledger.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests the real broker ({@link TestKafka}) as a parameter of their constructor or methods. One
 * broker serves every test class of a run: it starts on first use and stops when the run ends. Tests
 * keep apart by their own topic prefix and application ids.
 */
public final class KafkaExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).computeIfAbsent(TestKafka.class, type -> start(), TestKafka.class);
  }

  private static TestKafka start() {
    try {
      return TestKafka.start();
    } catch (Exception e) {
      throw new IllegalStateException("the test broker did not start", e);
    }
  }
}
