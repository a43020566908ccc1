#!/bin/bash
set -e
python --version
pip --version
