//! Event-stream decoding throughput: our incremental `Decoder` against
//! `aws-smithy-eventstream` (the smithy-rs runtime's `MessageFrameDecoder`)
//! on the same frames, for small (~100 B) and large (64 KiB) payloads. Both
//! decode from one contiguous `Bytes` buffer (as a body chunk arrives) into
//! messages whose payloads are slices of it, checking both CRCs. The goal is at least 1.5× their throughput.

#![allow(missing_docs)] // criterion_group! generates undocumented functions.

use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tinsmith_runtime::eventstream::{Message, frame::Decoder};

fn frames(count: usize, payload: usize) -> Bytes {
    let mut all = Vec::new();
    for i in 0..count {
        let message = Message::new(vec![b'x'; payload])
            .with_str(":message-type", "event")
            .with_str(":event-type", "Chunk")
            .with_str(":content-type", "application/json")
            .with_header(
                "seq",
                tinsmith_runtime::eventstream::HeaderValue::Long(i as i64),
            );
        all.extend_from_slice(&message.encode().unwrap());
    }
    Bytes::from(all)
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("eventstream_decode");
    for (name, count, payload) in [("small_100B", 10_000, 100), ("large_64KiB", 200, 64 * 1024)] {
        let data = frames(count, payload);
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_with_input(BenchmarkId::new("tinsmith", name), &data, |b, data| {
            b.iter(|| {
                let mut decoder = Decoder::new();
                decoder.feed_bytes(data.clone());
                let mut n = 0;
                while let Some(message) = decoder.next_message().unwrap() {
                    n += message.payload().len();
                }
                assert_eq!(n, count * payload);
            })
        });
        group.bench_with_input(
            BenchmarkId::new("aws_smithy_eventstream", name),
            &data,
            |b, data| {
                b.iter(|| {
                    let mut decoder = MessageFrameDecoder::new();
                    let mut buffer = data.clone();
                    let mut n = 0;
                    while let DecodedFrame::Complete(message) =
                        decoder.decode_frame(&mut buffer).unwrap()
                    {
                        n += message.payload().len();
                    }
                    assert_eq!(n, count * payload);
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
