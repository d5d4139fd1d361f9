package org.bwledger.kube.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The Bandwidth custom resource definition the projector writes to, as shipped in this module. */
public final class BandwidthCrd {

  /** Where the definition lives on the classpath; the chart ships the same file. */
  public static final String RESOURCE = "/crd/bandwidths.networking.vaclab.org.yaml";

  /** How fabric8 addresses Bandwidth objects. */
  public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup(BandwidthObjects.GROUP)
      .withVersion("v1")
      .withKind(BandwidthObjects.KIND)
      .withPlural(BandwidthObjects.PLURAL)
      .withNamespaced(false)
      .build();

  private BandwidthCrd() {}

  /** The definition, parsed. */
  public static CustomResourceDefinition definition() {
    try (InputStream yaml = BandwidthCrd.class.getResourceAsStream(RESOURCE)) {
      return Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
