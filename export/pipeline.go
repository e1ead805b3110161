package export

import (
	"context"
	"errors"
)

// pipeline hands rows from the goroutine that reads responses (where the
// store decodes them and the rows are built) to a goroutine that writes
// them into the sheets, so that the two halves of an export run on two
// cores. Batches of rows are recycled, so memory stays bounded whatever the
// number of responses.
type pipeline struct {
	sinks []*dataSheet // a row's target indexes this
	work  chan *batch
	free  chan *batch
	cur   *batch
	done  chan error
	ctx   context.Context // cancelled when the writer fails
}

// batch is a run of rows on their way to the writer.
type batch struct {
	rows    [][]value
	targets []int
	n       int
}

const (
	batchRows    = 256
	batchesAlive = 4
)

// errWriterStopped tells the reader that the writer has given up; the
// writer's own error is what the export reports.
var errWriterStopped = errors.New("the sheet writer stopped")

// startPipeline starts the writer goroutine. The returned context is done
// when ctx is or when the writer fails: read with it.
func startPipeline(ctx context.Context, sinks ...*dataSheet) (*pipeline, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	pl := &pipeline{
		sinks: sinks,
		work:  make(chan *batch, batchesAlive),
		free:  make(chan *batch, batchesAlive),
		done:  make(chan error, 1),
		ctx:   ctx,
	}
	for range batchesAlive {
		pl.free <- &batch{rows: make([][]value, batchRows), targets: make([]int, batchRows)}
	}
	go func() {
		defer cancel()
		var err error
		for b := range pl.work {
			for i := 0; i < b.n && err == nil; i++ {
				if err = pl.sinks[b.targets[i]].write(b.rows[i]); err != nil {
					cancel()
				}
			}
			b.n = 0
			pl.free <- b
		}
		pl.done <- err
	}()
	return pl, ctx
}

// add queues a copy of vals for sink target.
func (pl *pipeline) add(target int, vals []value) error {
	if pl.cur == nil {
		select {
		case pl.cur = <-pl.free:
		case <-pl.ctx.Done():
			return errWriterStopped
		}
	}
	b := pl.cur
	b.rows[b.n] = append(b.rows[b.n][:0], vals...)
	b.targets[b.n] = target
	b.n++
	if b.n == batchRows {
		pl.cur = nil
		pl.work <- b // never blocks: at most batchesAlive batches exist
	}
	return nil
}

// finish sends the last rows, waits for the writer and returns its error.
func (pl *pipeline) finish() error {
	if pl.cur != nil && pl.cur.n > 0 {
		pl.work <- pl.cur
	}
	pl.cur = nil
	close(pl.work)
	return <-pl.done
}
