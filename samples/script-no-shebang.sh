echo "no #! line: execve says Exec format error"
