/** The kryo value codec. */
@NullMarked
package io.lamina.codec.kryo;

import org.jspecify.annotations.NullMarked;
