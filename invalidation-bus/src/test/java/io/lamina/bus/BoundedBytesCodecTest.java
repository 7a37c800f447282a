package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.InvalidationMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class BoundedBytesCodecTest {

  @Test
  void aMessageUpToTheLimit_isReadWhole() throws Exception {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[InvalidationMessage.MAX_BYTES]);
    assertThat((byte[]) BoundedBytesCodec.INSTANCE.getValueDecoder().decode(buf, null))
        .hasSize(InvalidationMessage.MAX_BYTES);
    assertThat(buf.readableBytes()).isZero();
  }

  @Test
  void aMessageOverTheLimit_isSkipped_andReadEmpty() throws Exception {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[InvalidationMessage.MAX_BYTES + 1]);
    assertThat((byte[]) BoundedBytesCodec.INSTANCE.getValueDecoder().decode(buf, null)).isEmpty();
    assertThat(buf.readableBytes()).as("consumed, so the stream stays in step").isZero();
  }
}
