package export

import (
	"bytes"
	"compress/flate"
	"io"
	"runtime"
	"sync"
)

// parallelDeflate is a DEFLATE compressor that compresses 1 MiB chunks on
// several cores at once and writes them in order. Each chunk is a
// sync-flushed run of blocks and the stream ends with an empty final block,
// so the output is one valid DEFLATE stream (the technique of pigz); a
// chunk cannot refer back into the previous one, which costs a little size.
// Sheet XML is hundreds of megabytes for a large export, and compressing it
// on one core would be a third of the export's time. A part smaller than a
// chunk (most parts of a workbook) is compressed as an ordinary stream.
//
// Results are written by the goroutine calling Write and Close, so nothing
// is left running if the caller gives up halfway: a worker only ever sends
// its result into a buffered channel.
type parallelDeflate struct {
	w      io.Writer
	buf    []byte
	queue  []chan []byte // chunks being compressed, in order
	err    error
	closed bool
}

const deflateChunk = 1 << 20

// finalBlock is an empty final block with fixed codes: BFINAL=1, BTYPE=01,
// then the end-of-block code, padded to a byte.
var finalBlock = []byte{0x03, 0x00}

// chunkPool holds *[]byte, so that putting a buffer back allocates nothing.
var chunkPool = sync.Pool{New: func() any { b := make([]byte, 0, deflateChunk); return &b }}

// flaterPool recycles compressors, which hold about a megabyte of state each.
var flaterPool = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(io.Discard, flate.BestSpeed) // the level is valid
	return fw
}}

func newParallelDeflate(w io.Writer) (io.WriteCloser, error) {
	return &parallelDeflate{w: w}, nil
}

func (d *parallelDeflate) Write(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), deflateChunk-len(d.buf))
		d.buf = append(d.buf, p[:k]...)
		p = p[k:]
		if len(d.buf) == deflateChunk {
			if err := d.compress(); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

// compress hands the current chunk to a worker, first writing out the
// oldest results while every core is busy.
func (d *parallelDeflate) compress() error {
	for len(d.queue) >= max(1, runtime.GOMAXPROCS(0)) {
		if err := d.writeOldest(); err != nil {
			return err
		}
	}
	chunk := d.buf
	d.buf = (*chunkPool.Get().(*[]byte))[:0]
	res := make(chan []byte, 1)
	d.queue = append(d.queue, res)
	go func() {
		var out bytes.Buffer
		out.Grow(len(chunk) / 3)
		fw := flaterPool.Get().(*flate.Writer)
		fw.Reset(&out)
		_, _ = fw.Write(chunk) // writes to a bytes.Buffer cannot fail
		_ = fw.Flush()
		flaterPool.Put(fw)
		if cap(chunk) == deflateChunk {
			chunk = chunk[:0]
			chunkPool.Put(&chunk)
		}
		res <- out.Bytes()
	}()
	return nil
}

func (d *parallelDeflate) writeOldest() error {
	out := <-d.queue[0]
	d.queue = d.queue[1:]
	if _, err := d.w.Write(out); err != nil {
		d.err = err
		return err
	}
	return nil
}

// Close compresses what is left, writes it all and ends the stream.
func (d *parallelDeflate) Close() error {
	if d.closed {
		return d.err
	}
	d.closed = true
	if d.err != nil {
		return d.err
	}
	if len(d.queue) == 0 {
		// A part smaller than a chunk: one ordinary stream.
		fw := flaterPool.Get().(*flate.Writer)
		defer flaterPool.Put(fw)
		fw.Reset(d.w)
		if _, err := fw.Write(d.buf); err != nil {
			d.err = err
			return err
		}
		d.err = fw.Close()
		return d.err
	}
	if len(d.buf) > 0 {
		if err := d.compress(); err != nil {
			return err
		}
	}
	for len(d.queue) > 0 {
		if err := d.writeOldest(); err != nil {
			return err
		}
	}
	if _, err := d.w.Write(finalBlock); err != nil {
		d.err = err
	}
	return d.err
}
