// The Temporal CLI (dev server and Web UI) as `npm run dev` and the tests run it: v1.5.1, with the
// SQLite driver its dev server stores data with taken up to v1.44.3 (docs/dev-server.md). Built by
// scripts/temporal-cli.ts: go build -C scripts/temporal-cli github.com/temporalio/cli/cmd/temporal
module order-erp/temporal-cli

go 1.25.0

require (
	github.com/temporalio/cli v1.5.1
	modernc.org/sqlite v1.44.3
)

require (
	github.com/dustin/go-humanize v1.0.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/ncruces/go-strftime v1.0.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	golang.org/x/exp v0.0.0-20251023183803-a4bb9ffd2546 // indirect
	golang.org/x/sys v0.37.0 // indirect
	modernc.org/libc v1.67.6 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.11.0 // indirect
)
