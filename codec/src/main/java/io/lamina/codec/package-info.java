/**
 * Value codecs for the remote tier: {@link io.lamina.codec.fory.ForyValueCodec} (the default binary codec),
 * {@link io.lamina.codec.kryo.KryoValueCodec}, and JSON through Jackson 2 or Jackson 3. All are safe by default:
 * none instantiates a class named by the data unless that class was registered.
 */
@NullMarked
package io.lamina.codec;

import org.jspecify.annotations.NullMarked;
