/*! iframe-worker 1.0.4 (npm, MIT licence, Copyright (c) 2020-2022 Martin Donath): the bootstrap
 * the shim used to write into its frame as an inline script, as a file (see iframe-worker-shim.js).
 * It runs inside the hidden frame, before the worker's own script. */
(function(){var worker=document.currentScript.dataset.worker;postMessage=function(s,n){parent.postMessage(s,n||"*")};importScripts=function(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{let t=document.createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())};addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",{filename:worker,error}))})})();
