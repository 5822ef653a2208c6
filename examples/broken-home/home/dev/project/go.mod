module git.corp.example/platform/billing

go 1.22

require (
	github.com/google/uuid v1.6.0
	git.corp.example/platform/auth v0.3.1
)
